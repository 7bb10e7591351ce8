// Tests of mailer.cc: the message it composes (no header injection, encoded non-ASCII
// subjects) and the command it pipes the message into.
#include "mailer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace accord::server {
namespace {

// The header lines of a composed message (up to the blank line).
std::vector<std::string> HeaderLines(const std::string& message) {
  std::vector<std::string> out;
  std::istringstream in(message);
  std::string line;
  while (std::getline(in, line) && !line.empty()) out.push_back(line);
  return out;
}

class MailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() /
            ("accord-mailer-test-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove(file_);
  }
  void TearDown() override { std::filesystem::remove(file_); }
  std::string ReadFile() {
    std::ifstream in(file_, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path file_;
};

TEST_F(MailerTest, ComposeMailWritesThePlainTextHeadersAndTheBody) {
  EXPECT_EQ(ComposeMail("Accord <accord@example.org>", "ana@example.org", "You are invited",
                        "Open this link:\n\nhttps://accord.test/invite#x\n"),
            "From: Accord <accord@example.org>\n"
            "To: ana@example.org\n"
            "Subject: You are invited\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n"
            "Auto-Submitted: auto-generated\n"
            "\n"
            "Open this link:\n\nhttps://accord.test/invite#x\n");
}

TEST_F(MailerTest, ComposeMailEndsTheBodyWithANewline) {
  std::string message = ComposeMail("a@example.org", "b@example.org", "s", "no newline");
  EXPECT_TRUE(message.ends_with("\n\nno newline\n")) << message;
  message = ComposeMail("a@example.org", "b@example.org", "s", "");
  EXPECT_TRUE(message.ends_with("auto-generated\n\n")) << message;
}

TEST_F(MailerTest, ComposeMailStripsLineBreaksFromHeaderValues) {
  std::string message =
      ComposeMail("a@example.org\r\nBcc: spy@evil.example", "ana@example.org\nCc: x@evil.example",
                  "Hello\r\nBcc: all@evil.example\r\n\r\nforged body", "the body\n");
  std::vector<std::string> headers = HeaderLines(message);
  ASSERT_EQ(headers.size(), 7u) << message;
  EXPECT_EQ(headers[0], "From: a@example.orgBcc: spy@evil.example");
  EXPECT_EQ(headers[1], "To: ana@example.orgCc: x@evil.example");
  EXPECT_EQ(headers[2],
            "Subject: HelloBcc: all@evil.example"
            "forged body");
  for (const std::string& h : headers) {
    EXPECT_FALSE(h.starts_with("Bcc:")) << h;
    EXPECT_FALSE(h.starts_with("Cc:")) << h;
  }
  EXPECT_EQ(message.find('\r'), std::string::npos);
  EXPECT_TRUE(message.ends_with("\n\nthe body\n"));
}

TEST_F(MailerTest, ComposeMailEncodesANonAsciiSubject) {
  std::string message = ComposeMail("a@example.org", "b@example.org", "Olá", "x");
  EXPECT_EQ(HeaderLines(message)[2], "Subject: =?UTF-8?B?T2zDoQ==?=");
  // Line breaks go before the encoding, so they cannot be smuggled inside it either.
  message = ComposeMail("a@example.org", "b@example.org", "Ol\r\ná", "x");
  EXPECT_EQ(HeaderLines(message)[2], "Subject: =?UTF-8?B?T2zDoQ==?=");
}

TEST_F(MailerTest, ComposeMailKeepsAnAsciiSubjectAsItIs) {
  std::string message = ComposeMail("a@example.org", "b@example.org", "Set a new password", "x");
  EXPECT_EQ(HeaderLines(message)[2], "Subject: Set a new password");
}

TEST_F(MailerTest, CommandMailerPipesTheMessageIntoTheCommand) {
  Mailer mail = CommandMailer("cat > '" + file_.string() + "'", "Accord <accord@example.org>");
  ASSERT_TRUE(mail("ana@example.org", "Convite à Accord", "Olá Ana,\nthe link.\n"));
  EXPECT_EQ(ReadFile(), ComposeMail("Accord <accord@example.org>", "ana@example.org",
                                    "Convite à Accord", "Olá Ana,\nthe link.\n"));
}

TEST_F(MailerTest, CommandMailerCanBeUsedAgain) {
  Mailer mail = CommandMailer("cat >> '" + file_.string() + "'", "accord@example.org");
  ASSERT_TRUE(mail("a@example.org", "one", "1"));
  ASSERT_TRUE(mail("b@example.org", "two", "2"));
  std::string both = ReadFile();
  EXPECT_NE(both.find("To: a@example.org"), std::string::npos);
  EXPECT_NE(both.find("To: b@example.org"), std::string::npos);
}

TEST_F(MailerTest, ACommandThatFailsAfterReadingReturnsFalse) {
  Mailer mail = CommandMailer("cat > /dev/null; exit 3", "accord@example.org");
  EXPECT_FALSE(mail("ana@example.org", "s", "body"));
}

TEST_F(MailerTest, ACommandThatExitsAtOnceReturnsFalse) {
  Mailer mail = CommandMailer("exit 3", "accord@example.org");
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(mail("ana@example.org", "s", "body")) << i;
}

TEST_F(MailerTest, ACommandThatCannotRunReturnsFalse) {
  Mailer mail = CommandMailer("/nonexistent/sendmail -t 2>/dev/null", "accord@example.org");
  EXPECT_FALSE(mail("ana@example.org", "s", "body"));
}

TEST_F(MailerTest, ACommandThatStopsReadingReturnsFalseAndDoesNotKillTheProcess) {
  // More than a pipe holds: the write outlives the command, which would raise SIGPIPE.
  Mailer mail = CommandMailer("head -c 10 > /dev/null; exit 0", "accord@example.org");
  EXPECT_FALSE(mail("ana@example.org", "s", std::string(1 << 20, 'x')));
  Mailer gone = CommandMailer("exit 0", "accord@example.org");
  EXPECT_FALSE(gone("ana@example.org", "s", std::string(1 << 20, 'x')));
}

}  // namespace
}  // namespace accord::server
