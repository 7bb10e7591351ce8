#include "doc_impl.h"

#include <gtest/gtest.h>

namespace accord::crdt {
namespace {

TEST(DocImplTest, RootsAndInterning) {
  DocImpl doc(DocOptions{.client_id = 5, .guid = "g"});
  EXPECT_EQ(doc.client_id(), 5u);
  EXPECT_EQ(doc.guid(), "g");
  AbstractType* r = doc.GetRoot("x", TypeKind::kUntyped);
  EXPECT_EQ(r->kind(), TypeKind::kUntyped);
  EXPECT_EQ(doc.GetRoot("x", TypeKind::kText), r);
  EXPECT_EQ(r->kind(), TypeKind::kText);
  EXPECT_EQ(doc.GetRoot("x", TypeKind::kMap), nullptr);
  EXPECT_EQ(doc.Intern("k"), doc.Intern("k"));
  EXPECT_EQ(doc.FindInterned("nope"), nullptr);
}

TEST(DocImplTest, RandomIdsDiffer) {
  DocImpl a{DocOptions{}};
  DocImpl b{DocOptions{}};
  EXPECT_NE(a.guid(), b.guid());
  EXPECT_LT(a.client_id(), uint64_t{1} << 32);
}

TEST(DocImplTest, NestedTransactionsJoin) {
  DocImpl doc{DocOptions{}};
  Transaction* outer = nullptr;
  doc.Transact([&](Transaction& t) {
    outer = &t;
    doc.Transact([&](Transaction& inner) { EXPECT_EQ(&inner, outer); });
  });
  EXPECT_EQ(doc.current_transaction(), nullptr);
}

}  // namespace
}  // namespace accord::crdt
