#include "item_compaction.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "abstract_type.h"
#include "accord/crdt/doc.h"
#include "doc_impl.h"

namespace accord::crdt {
namespace {

std::vector<uint8_t> Encode(Doc& doc, UpdateFormat format) {
  auto bytes = doc.EncodeStateAsUpdate({}, format);
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : std::vector<uint8_t>{};
}

void Compact(Doc& doc) {
  DocImpl* impl = doc.internal();
  CompactItems(impl->pool(), impl->store(), impl->types());
}

// A reproducible mix of edits: text typing and deleting at scattered positions (splits, merges,
// search markers), map keys overwritten (map entries), nested types created and deleted (type
// items, collected children), array pushes. Each step is its own transaction.
class Editor {
 public:
  explicit Editor(Doc* doc) : doc_(doc) {}

  void Step(std::mt19937& rng) {
    Text text = *doc_->GetText("text");
    Map map = *doc_->GetMap("map");
    Array list = *doc_->GetArray("list");
    const uint32_t op = rng() % 10;
    const uint64_t len = text.Length();
    if (op < 5) {
      ASSERT_TRUE(text.Insert(len == 0 ? 0 : rng() % (len + 1),
                              std::string(1 + rng() % 3, 'a' + rng() % 26))
                      .ok());
    } else if (op < 7 && len > 0) {
      const uint64_t at = rng() % len;
      ASSERT_TRUE(text.Delete(at, std::min<uint64_t>(len - at, 1 + rng() % 4)).ok());
    } else if (op == 7) {
      ASSERT_TRUE(
          map.Set("k" + std::to_string(rng() % 5), NewValue::Of(Any(double(rng() % 100)))).ok());
    } else if (op == 8) {
      Result<SharedType> nested =
          map.SetType("nested" + std::to_string(rng() % 3), SharedKind::kArray);
      ASSERT_TRUE(nested.ok());
      Array inner(nested->internal());
      ASSERT_TRUE(inner.Push({NewValue::Of(Any(1.0)), NewValue::Of(Any(2.0))}).ok());
    } else {
      ASSERT_TRUE(list.Push({NewValue::Of(Any(double(rng() % 7)))}).ok());
      if (list.Length() > 8) ASSERT_TRUE(list.Delete(rng() % 4, 2).ok());
    }
  }

 private:
  Doc* doc_;
};

// Compacting in the middle of an editing session changes nothing observable: the encodings
// right after, and those after the same further edits (which walk from the moved search markers
// and map entries), equal those of a twin document that was never compacted.
TEST(ItemCompactionTest, InvisibleToLaterEdits) {
  for (bool gc : {true, false}) {
    Doc doc(DocOptions{.client_id = 7, .gc = gc});
    Doc twin(DocOptions{.client_id = 7, .gc = gc});
    Editor edit_doc(&doc);
    Editor edit_twin(&twin);
    std::mt19937 rng_doc(42);
    std::mt19937 rng_twin(42);
    for (int round = 0; round < 4; ++round) {
      for (int i = 0; i < 300; ++i) {
        edit_doc.Step(rng_doc);
        edit_twin.Step(rng_twin);
      }
      Compact(doc);
      EXPECT_EQ(doc.internal()->pool().slack(), 0u);
      EXPECT_EQ(Encode(doc, UpdateFormat::kV1), Encode(twin, UpdateFormat::kV1)) << round;
      EXPECT_EQ(Encode(doc, UpdateFormat::kV2), Encode(twin, UpdateFormat::kV2)) << round;
    }
    EXPECT_EQ(doc.GetText("text")->ToString(), twin.GetText("text")->ToString());
  }
}

// A large transaction leaves most of its items merged away; the document compacts afterwards,
// and a document loaded from it holds the same.
TEST(ItemCompactionTest, LargeTransactionIsCompacted) {
  Doc doc(DocOptions{.client_id = 9});
  Text text = *doc.GetText("text");
  doc.Transact([&] {
    for (int i = 0; i < 8000; ++i) ASSERT_TRUE(text.Insert(text.Length(), "x").ok());
    for (int i = 0; i < 2000; ++i) ASSERT_TRUE(text.Delete(static_cast<uint64_t>(i) * 3, 1).ok());
  });
  ItemPool& pool = doc.internal()->pool();
  EXPECT_LT(pool.slack(), 4096u);
  EXPECT_LT(pool.live(), 8000u);
  EXPECT_EQ(text.Length(), 6000u);
  // Editing goes on normally.
  ASSERT_TRUE(text.Insert(5, "hello").ok());
  ASSERT_TRUE(text.Delete(0, 2).ok());
  Doc copy(DocOptions{.client_id = 10});
  ASSERT_TRUE(copy.ApplyUpdate(Encode(doc, UpdateFormat::kV1)).ok());
  EXPECT_EQ(copy.GetText("text")->ToString(), text.ToString());
}

// Types whose items were collected and merged away keep a harmless placeholder.
TEST(ItemCompactionTest, CollectedTypesGetThePlaceholder) {
  Doc doc(DocOptions{.client_id = 11});
  Array list = *doc.GetArray("list");
  std::vector<SharedType> nested;
  doc.Transact([&] {
    for (int i = 0; i < 50; ++i) {
      Result<SharedType> t = list.InsertType(list.Length(), SharedKind::kText);
      ASSERT_TRUE(t.ok());
      nested.push_back(*t);
      ASSERT_TRUE(Text(t->internal()).Insert(0, "abc").ok());
    }
  });
  ASSERT_TRUE(list.Delete(0, 50).ok());  // the types are collected, their items merged
  Compact(doc);
  for (const SharedType& t : nested) {
    ASSERT_NE(t.internal()->item(), nullptr);
    EXPECT_TRUE(t.internal()->item()->deleted());
  }
  EXPECT_EQ(list.Length(), 0u);
  ASSERT_TRUE(list.Push({NewValue::Of(Any(1.0))}).ok());
  Doc copy;
  ASSERT_TRUE(copy.ApplyUpdate(Encode(doc, UpdateFormat::kV2), UpdateFormat::kV2).ok());
  EXPECT_EQ(copy.GetArray("list")->Length(), 1u);
}

}  // namespace
}  // namespace accord::crdt
