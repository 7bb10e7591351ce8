// Tests for item_walk.cc: document order, kinds, ids, origins and deletions of the walked items.
#include "accord/crdt/item_walk.h"

#include <gtest/gtest.h>

#include <vector>

#include "accord/crdt/xml.h"

namespace accord::crdt {
namespace {

using Kind = WalkedItem::Kind;

TEST(ItemWalkTest, WalksAttributesThenChildrenInDocumentOrder) {
  Doc doc;
  doc.set_client_id(7);
  XmlFragment root = *GetXmlFragment(doc, "prosemirror");
  XmlElement heading = *root.InsertElement(0, "heading");     // clock 0
  ASSERT_TRUE(heading.SetAttribute("level", Any(2.0)).ok());  // clock 1
  XmlText title = *heading.InsertText(0);                     // clock 2
  ASSERT_TRUE(title.Insert(0, "Title").ok());                 // clocks 3..7
  XmlElement para = *root.InsertElement(1, "paragraph");      // clock 8
  XmlText body = *para.InsertText(0);                         // clock 9
  ASSERT_TRUE(body.Insert(0, "ab").ok());                     // clocks 10..11

  std::vector<WalkedItem> items = WalkItems(root);
  ASSERT_EQ(items.size(), 7u);
  EXPECT_EQ(items[0].kind, Kind::kType);
  EXPECT_EQ(items[0].id, (ItemId{7, 0}));
  EXPECT_FALSE(items[0].parent.has_value());
  EXPECT_EQ(items[0].depth, 0u);
  EXPECT_EQ(items[1].kind, Kind::kAttribute);
  EXPECT_EQ(items[1].id, (ItemId{7, 1}));
  EXPECT_EQ(items[1].parent, (ItemId{7, 0}));
  EXPECT_EQ(items[2].kind, Kind::kType);
  EXPECT_EQ(items[2].id, (ItemId{7, 2}));
  EXPECT_EQ(items[2].depth, 1u);
  EXPECT_EQ(items[3].kind, Kind::kContent);
  EXPECT_EQ(items[3].id, (ItemId{7, 3}));
  EXPECT_EQ(items[3].length, 5u);
  EXPECT_EQ(items[3].parent, (ItemId{7, 2}));
  EXPECT_EQ(items[3].depth, 2u);
  EXPECT_TRUE(items[3].countable);
  EXPECT_EQ(items[4].id, (ItemId{7, 8}));
  EXPECT_EQ(items[4].origin, (ItemId{7, 0}));  // inserted after the heading
  EXPECT_EQ(items[6].id, (ItemId{7, 10}));
  EXPECT_EQ(items[6].length, 2u);
}

TEST(ItemWalkTest, ReportsOriginsAndDeletionsOfRemoteEdits) {
  Doc base;
  base.set_client_id(1);
  Text text = *base.GetText("t");
  ASSERT_TRUE(text.Insert(0, "abcd").ok());
  Doc fork;
  fork.set_client_id(2);
  ASSERT_TRUE(fork.ApplyUpdate(*base.EncodeStateAsUpdate()).ok());
  Text forked = *fork.GetText("t");
  ASSERT_TRUE(forked.Insert(2, "XY").ok());  // between b and c
  ASSERT_TRUE(forked.Delete(5, 1).ok());     // deletes d

  std::vector<WalkedItem> items = WalkItems(forked);
  ASSERT_EQ(items.size(), 4u);  // "ab", "XY", "c", "d"
  EXPECT_EQ(items[0].id, (ItemId{1, 0}));
  EXPECT_EQ(items[0].length, 2u);  // split at the insertion
  EXPECT_EQ(items[1].id, (ItemId{2, 0}));
  EXPECT_EQ(items[1].origin, (ItemId{1, 1}));
  EXPECT_EQ(items[1].right_origin, (ItemId{1, 2}));
  EXPECT_FALSE(items[2].deleted);
  EXPECT_EQ(items[3].id, (ItemId{1, 3}));
  EXPECT_TRUE(items[3].deleted);
  EXPECT_FALSE(items[3].countable);
}

TEST(ItemWalkTest, KeepsOverwrittenMapValuesOldestFirst) {
  Doc doc;
  doc.set_client_id(3);
  Map map = *doc.GetMap("m");
  ASSERT_TRUE(map.Set("k", NewValue::Of(Any(1.0))).ok());
  ASSERT_TRUE(map.Set("k", NewValue::Of(Any(2.0))).ok());
  std::vector<WalkedItem> items = WalkItems(map);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, (ItemId{3, 0}));
  EXPECT_TRUE(items[0].deleted);
  EXPECT_EQ(items[1].id, (ItemId{3, 1}));
  EXPECT_FALSE(items[1].deleted);
  EXPECT_EQ(items[1].kind, Kind::kAttribute);
}

TEST(ItemWalkTest, SurvivesDeepNestingWithoutRecursion) {
  Doc doc;
  XmlFragment root = *GetXmlFragment(doc, "f");
  XmlElement node = *root.InsertElement(0, "e");
  for (int i = 0; i < 2000; ++i) node = *node.InsertElement(0, "e");
  std::vector<WalkedItem> items = WalkItems(root);
  ASSERT_EQ(items.size(), 2001u);
  EXPECT_EQ(items.back().depth, 2000u);
}

TEST(ItemWalkTest, InvalidHandleGivesNothing) { EXPECT_TRUE(WalkItems(SharedType()).empty()); }

}  // namespace
}  // namespace accord::crdt
