#include "abstract_type.h"

#include <gtest/gtest.h>

#include "accord/crdt/doc.h"
#include "doc_impl.h"

namespace accord::crdt {
namespace {

TEST(SearchMarkerTest, MarkersPointAtTheRightIndex) {
  Doc doc(DocOptions{.client_id = 1, .gc = false});
  Array a = *doc.GetArray("a");
  for (int i = 0; i < 300; ++i)
    ASSERT_TRUE(a.Insert(i % 3 == 0 ? 0 : a.Length(), {NewValue::Of(i)}).ok());
  AbstractType* t = a.internal();
  for (uint64_t idx : {5u, 150u, 299u, 77u}) {
    SearchMarker* m = FindMarker(t, idx);
    ASSERT_NE(m, nullptr);
    // The marker's index is the position of m->p.
    uint64_t pos = 0;
    for (Item* n = t->start(); n != m->p; n = n->right) {
      if (!n->deleted() && n->countable()) pos += n->length;
    }
    EXPECT_EQ(pos, m->index);
  }
  EXPECT_LE(t->markers().size(), 80u);
  EXPECT_EQ(FindMarker(t, 0), nullptr);
}

TEST(SearchMarkerTest, AMarkerNearerThanAnEightiethOfTheLengthIsMoved) {
  // 800 one-element items (inserted at the front, so they do not merge).
  Doc doc(DocOptions{.client_id = 1, .gc = false});
  Array a = *doc.GetArray("a");
  for (int i = 0; i < 800; ++i) ASSERT_TRUE(a.Insert(0, {NewValue::Of(i)}).ok());
  AbstractType* t = a.internal();
  t->ClearMarkers();
  ASSERT_EQ(FindMarker(t, 100)->index, 100u);
  ASSERT_EQ(t->markers().size(), 1u);
  // Yjs moves the marker when |distance| < length / 80 = 10: 9 moves it...
  EXPECT_EQ(FindMarker(t, 109)->index, 109u);
  EXPECT_EQ(t->markers().size(), 1u);
  // ...10 does not: a second marker is made.
  EXPECT_EQ(FindMarker(t, 119)->index, 119u);
  EXPECT_EQ(t->markers().size(), 2u);
  EXPECT_EQ(t->markers()[0].index, 109u);
}

TEST(AbstractTypeTest, MapKeepsFirstInsertionOrder) {
  Doc doc;
  AbstractType* t = doc.internal()->NewType(TypeKind::kMap);
  const std::string* a = doc.internal()->Intern("a");
  const std::string* b = doc.internal()->Intern("b");
  Item x, y;
  t->MapSet(b, &x);
  t->MapSet(a, &y);
  t->MapSet(b, &y);
  ASSERT_EQ(t->map_entries().size(), 2u);
  EXPECT_EQ(t->map_entries()[0].first, b);
  EXPECT_EQ(t->MapGet(b), &y);
}

}  // namespace
}  // namespace accord::crdt
