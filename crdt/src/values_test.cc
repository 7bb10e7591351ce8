#include "values.h"

#include <gtest/gtest.h>

namespace accord::crdt {
namespace {

TEST(ValuesTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("abc é 漢 😀"));
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE6\xBC"));          // truncated
}

TEST(ValuesTest, StringItemValuesAreUtf16Units) {
  Item item;
  InitItem(&item, Id{1, 0}, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
           ContentString::Make("a😀"));
  EXPECT_EQ(ItemValue(&item, 0).any.as_string(), "a");
  EXPECT_EQ(ItemValue(&item, 1).any.as_string(), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace accord::crdt
