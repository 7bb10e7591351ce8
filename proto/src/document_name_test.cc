#include "accord/proto/document_name.h"

#include <gtest/gtest.h>

#include <string>

namespace accord::proto {
namespace {

TEST(DocumentNameTest, AcceptsPlainSegments) {
  EXPECT_TRUE(ValidateDocumentName("caracas-declaration-2023").ok());
  EXPECT_TRUE(ValidateDocumentName("a").ok());
  EXPECT_TRUE(ValidateDocumentName("Draft_v2.amend-7").ok());
  EXPECT_TRUE(ValidateDocumentName(std::string(kMaxDocumentNameLength, 'x')).ok());
}

TEST(DocumentNameTest, RejectsEmptyAndTooLong) {
  EXPECT_EQ(ValidateDocumentName("").code(), Status::Code::kInvalidArgument);
  Status s = ValidateDocumentName(std::string(kMaxDocumentNameLength + 1, 'x'));
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("longer than 128"), std::string::npos);
}

TEST(DocumentNameTest, RejectsPathTricksAndEscapes) {
  for (const char* bad : {".", "..", ".hidden", "a/b", "a%2Fb", "a b", "a?b", "a\\b", "ä"}) {
    EXPECT_FALSE(ValidateDocumentName(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateDocumentName(std::string_view("a\0b", 3)).ok());
}

}  // namespace
}  // namespace accord::proto
