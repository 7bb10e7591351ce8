#include "accord/signon/checkpoint.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "utf8.h"

namespace accord::signon {
namespace {

NoteSigner NewSigner(std::string_view name) {
  EXPECT_GE(sodium_init(), 0);
  std::string seed(32, '\0');
  randombytes_buf(seed.data(), seed.size());
  return NoteSigner::FromSeed(name, seed).value();
}

Checkpoint Example() {
  Checkpoint cp;
  cp.origin = "accord.example.org/log";
  cp.tree_size = 8;
  // The RFC 6962 reference tree of 8 leaves.
  auto root = HexDecode("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  std::copy(root->begin(), root->end(), cp.root_hash.begin());
  cp.extensions = {"Timestamp: 1796000000"};
  return cp;
}

TEST(Checkpoint, FormatsTheThreeLinesAndExtensions) {
  auto text = FormatCheckpoint(Example());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value(),
            "accord.example.org/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
            "Timestamp: 1796000000\n");
  auto back = ParseCheckpoint(text.value());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back.value(), Example());
  Checkpoint bare = Example();
  bare.extensions.clear();
  bare.tree_size = 0;
  EXPECT_EQ(ParseCheckpoint(FormatCheckpoint(bare).value()).value(), bare);
}

TEST(Checkpoint, RefusesWhatItCannotWrite) {
  Checkpoint cp = Example();
  cp.origin = "";
  EXPECT_FALSE(FormatCheckpoint(cp).ok());
  cp.origin = "two\nlines";
  EXPECT_FALSE(FormatCheckpoint(cp).ok());
  cp = Example();
  cp.extensions.push_back("");
  EXPECT_FALSE(FormatCheckpoint(cp).ok());
  cp.extensions.back() = "tab\t";
  EXPECT_FALSE(FormatCheckpoint(cp).ok());
}

TEST(Checkpoint, ParsesStrictly) {
  const std::string root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";
  for (std::string bad : std::vector<std::string>{
           "o\n8\n",                                               // no root
           "o\n8\n" + root,                                        // no final newline
           "\n8\n" + root + "\n",                                  // empty origin
           "o\n08\n" + root + "\n",                                // leading zero
           "o\n-1\n" + root + "\n",                                // sign
           "o\n+1\n" + root + "\n",                                // sign
           "o\n18446744073709551616\n" + root + "\n",              // 2^64
           "o\n8 \n" + root + "\n",                                // trailing space
           "o\n8\n" + root.substr(4) + "\n",                       // 29 bytes
           "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",  // no padding
           "o\n8\n" + root + "\n\n",                               // empty extension line
       }) {
    EXPECT_EQ(ParseCheckpoint(bad).status().code(), Status::Code::kCorruption) << bad;
  }
  EXPECT_EQ(ParseCheckpoint("o\n18446744073709551615\n" + root + "\n").value().tree_size,
            UINT64_MAX);
}

TEST(Checkpoint, SignedByTheLogKeyOnly) {
  NoteSigner log = NewSigner("accord.example.org/log");
  auto note = SignCheckpoint(Example(), log);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  auto opened = OpenCheckpoint(note.value(), log.Verifier());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened.value(), Example());

  // Another key, a changed size, or a key named for another log: refused.
  NoteSigner impostor = NewSigner("accord.example.org/log");
  EXPECT_EQ(OpenCheckpoint(note.value(), impostor.Verifier()).status().code(),
            Status::Code::kUnauthenticated);
  std::string changed = note.value();
  changed.replace(changed.find("\n8\n"), 3, "\n9\n");
  EXPECT_EQ(OpenCheckpoint(changed, log.Verifier()).status().code(),
            Status::Code::kUnauthenticated);
  NoteSigner other_log = NewSigner("other.example/log");
  EXPECT_FALSE(SignCheckpoint(Example(), other_log).ok());
  // A valid signature by a key named for another log does not vouch for this origin.
  std::string text = FormatCheckpoint(Example()).value();
  NoteSigner wrong_name[] = {other_log};
  std::string cross = SignNote(text, wrong_name).value();
  EXPECT_EQ(OpenCheckpoint(cross, other_log.Verifier()).status().code(),
            Status::Code::kUnauthenticated);
}

}  // namespace
}  // namespace accord::signon
