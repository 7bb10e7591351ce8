#include "config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace accord::server {
namespace {

namespace fs = std::filesystem;

TEST(ConfigTest, AppliesEveryKey) {
  ServerOptions o;
  Status s = ApplyConfig(R"(
data = "/srv/accord"
listen = "0.0.0.0:9000"
threads = 3
web_root = "/usr/share/accord/web"
[limits]
max_message_bytes = "1M"
send_queue_bytes = 4096
handshake_timeout = "2s"
)",
                         "test.toml", o);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(o.data_dir, "/srv/accord");
  EXPECT_EQ(o.listen_host, "0.0.0.0");
  EXPECT_EQ(o.listen_port, 9000);
  EXPECT_EQ(o.threads, 3);
  EXPECT_EQ(o.web_root, "/usr/share/accord/web");
  EXPECT_EQ(o.limits.max_message_bytes, 1024u * 1024);
  EXPECT_EQ(o.limits.send_queue_bytes, 4096u);
  EXPECT_EQ(o.limits.handshake_timeout.count(), 2000);
  // Untouched limits keep their defaults.
  EXPECT_EQ(o.limits.max_document_bytes, Limits().max_document_bytes);
}

TEST(ConfigTest, LogOriginIsSetOrDerivedFromThePublicUrl) {
  ServerOptions o;
  EXPECT_EQ(EffectiveLogOrigin(o), "accord.local/log");
  o.public_url = "https://accord.example.org/";
  EXPECT_EQ(EffectiveLogOrigin(o), "accord.example.org/log");
  o.public_url = "https://example.org:8443/accord";
  EXPECT_EQ(EffectiveLogOrigin(o), "example.org:8443/accord/log");
  ASSERT_TRUE(ApplyConfig("log_origin = \"statements.example.net/log\"\n", "t.toml", o).ok());
  EXPECT_EQ(o.log_origin, "statements.example.net/log");
  EXPECT_EQ(EffectiveLogOrigin(o), "statements.example.net/log");
  for (const char* bad : {"log_origin = \"\"\n", "log_origin = \"a b\"\n",
                          "log_origin = \"a+b/log\"\n", "log_origin = 3\n"}) {
    ServerOptions p;
    Status s = ApplyConfig(bad, "a.toml", p);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("a.toml:1: log_origin: "), std::string::npos) << s.message();
    EXPECT_TRUE(p.log_origin.empty());
  }
}

TEST(ConfigTest, EmptyFileChangesNothing) {
  ServerOptions o;
  ASSERT_TRUE(ApplyConfig("# nothing\n", "empty.toml", o).ok());
  EXPECT_EQ(o.data_dir, ServerOptions().data_dir);
  EXPECT_EQ(o.listen_port, ServerOptions().listen_port);
  EXPECT_TRUE(o.web_root.empty());
}

// Every error names the file and the line, and the key when there is one; and leaves the
// options as they were even if earlier keys were valid.
TEST(ConfigTest, ErrorsNameFileLineAndKeyAndChangeNothing) {
  struct Case {
    const char* toml;
    const char* want;  // substring of the message
  };
  const Case cases[] = {
      {"data = \"changed\"\nlisten = 5\n", "a.toml:2: listen: "},
      {"data = \"changed\"\nlisten = \"1.2.3.4\"\n", "a.toml:2: listen: "},
      {"colour = \"red\"\n", "a.toml:1: colour: unknown key"},
      {"threads = 300\n", "a.toml:1: threads: "},
      {"threads = -1\n", "a.toml:1: threads: "},
      {"threads = \"2\"\n", "a.toml:1: threads: "},
      {"data = 7\n", "a.toml:1: data: "},
      {"web_root = \"\"\n", "a.toml:1: web_root: "},
      {"limits = 3\n", "a.toml:1: limits: must be a table"},
      {"\n[limits]\nno_such = 1\n", "a.toml:3: limits.no_such: unknown limit"},
      {"[limits]\nhandshake_timeout = 10\n", "a.toml:2: limits.handshake_timeout: "},
      {"[limits]\n\nmax_body_bytes = \"lots\"\n", "a.toml:3: limits.max_body_bytes: "},
      {"[limits]\nmax_body_bytes = -5\n", "a.toml:2: limits.max_body_bytes: "},
      {"[limits]\nmax_body_bytes = 1.5\n", "a.toml:2: limits.max_body_bytes: "},
      {"[limits]\nmax_body_bytes = 0\n", "a.toml:2: limits.max_body_bytes: "},
      {"data = \"x\"\nthis is not toml\n", "a.toml:2"},
      {"data = \"x\"\ndata = \"y\"\n", "a.toml:2"},
  };
  for (const Case& c : cases) {
    ServerOptions o;
    o.data_dir = "keep";
    Status s = ApplyConfig(c.toml, "a.toml", o);
    EXPECT_FALSE(s.ok()) << c.toml;
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.toml;
    EXPECT_NE(s.message().find(c.want), std::string::npos)
        << "toml: " << c.toml << "\nmessage: " << s.message();
    EXPECT_EQ(o.data_dir, "keep") << c.toml;
  }
}

TEST(ConfigTest, OversizedTextIsRefused) {
  ServerOptions o;
  std::string big(kMaxConfigBytes + 1, '#');
  EXPECT_FALSE(ApplyConfig(big, "big.toml", o).ok());
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "accord-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  fs::path dir_;
};

TEST_F(ConfigFileTest, ReadsAFileAndNamesItInErrors) {
  ServerOptions o;
  std::string good = Write("good.toml", "threads = 2\n");
  ASSERT_TRUE(ApplyConfigFile(good, o).ok());
  EXPECT_EQ(o.threads, 2);
  std::string bad = Write("bad.toml", "\n\nthreads = \"many\"\n");
  Status s = ApplyConfigFile(bad, o);
  EXPECT_NE(s.message().find(bad + ":3: threads"), std::string::npos) << s.message();
  Status missing = ApplyConfigFile((dir_ / "none.toml").string(), o);
  EXPECT_EQ(missing.code(), Status::Code::kIOError);
}

TEST_F(ConfigFileTest, FlagsOverrideTheFileWhereverConfigAppears) {
  std::string path = Write("accordd.toml", R"(
data = "/from/file"
listen = "127.0.0.1:9000"
threads = 4
web_root = "/file/web"
[limits]
max_message_bytes = "2M"
idle_timeout = "30s"
)");
  ServerOptions o;
  bool help = true;
  std::vector<std::string_view> args = {"--data",   "/from/flag", "--limit", "max_message_bytes=3M",
                                        "--config", path,         "--web",   "dist"};
  Status s = ApplyCommandLine(args, o, &help);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(help);
  EXPECT_EQ(o.data_dir, "/from/flag");  // flag before --config still wins
  EXPECT_EQ(o.web_root, "dist");
  EXPECT_EQ(o.listen_port, 9000);  // from the file
  EXPECT_EQ(o.threads, 4);
  EXPECT_EQ(o.limits.max_message_bytes, 3u * 1024 * 1024);
  EXPECT_EQ(o.limits.idle_timeout.count(), 30'000);
}

TEST(CommandLineTest, ParsesEveryFlag) {
  ServerOptions o;
  bool help = false;
  std::vector<std::string_view> args = {"--data",    "d",
                                        "--listen",  "[::1]:0",
                                        "--threads", "2",
                                        "--web",     "w",
                                        "--limit",   "commit_interval=10ms",
                                        "--limit",   "max_connections=5"};
  ASSERT_TRUE(ApplyCommandLine(args, o, &help).ok());
  EXPECT_EQ(o.data_dir, "d");
  EXPECT_EQ(o.listen_host, "::1");
  EXPECT_EQ(o.listen_port, 0);
  EXPECT_EQ(o.threads, 2);
  EXPECT_EQ(o.web_root, "w");
  EXPECT_EQ(o.limits.commit_interval.count(), 10);
  EXPECT_EQ(o.limits.max_connections, 5u);
}

TEST(CommandLineTest, HelpAndErrors) {
  ServerOptions o;
  bool help = false;
  std::vector<std::string_view> h = {"--bogus", "-h"};
  EXPECT_TRUE(ApplyCommandLine(h, o, &help).ok());
  EXPECT_TRUE(help);
  const std::vector<std::vector<std::string_view>> bad = {{"--bogus"},
                                                          {"--data"},
                                                          {"--web", ""},
                                                          {"--threads", "0"},
                                                          {"--threads", "2x"},
                                                          {"--threads", "999"},
                                                          {"--listen", "nope"},
                                                          {"--limit", "max_connections"},
                                                          {"--limit", "x=1"},
                                                          {"--config"},
                                                          {"--config", "/nonexistent/accordd.toml"},
                                                          {"--config", "a", "--config", "b"}};
  for (const auto& args : bad) {
    ServerOptions before;
    before.data_dir = "keep";
    Status s = ApplyCommandLine(args, before, &help);
    EXPECT_FALSE(s.ok()) << args[0];
    EXPECT_FALSE(help);
    EXPECT_EQ(before.data_dir, "keep");
  }
}

TEST(CommandLineTest, UsageListsFlagsAndEveryLimit) {
  std::string usage = UsageText();
  for (const char* flag : {"--config", "--data", "--listen", "--threads", "--web", "--limit"}) {
    EXPECT_NE(usage.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(usage.find(DescribeLimits()), std::string::npos);
}

// ops/accordd.toml, the shipped example, must parse, and must mention every limit (commented
// out, so applying it changes nothing).
TEST(ConfigExampleTest, ShippedExampleParsesAndNamesEveryLimit) {
  const char* source = std::getenv("ACCORD_SOURCE_DIR");
  fs::path example = fs::path(source ? source : ACCORD_SOURCE_ROOT) / "ops" / "accordd.toml";
  ASSERT_TRUE(fs::exists(example)) << "no " << example;
  ServerOptions o;
  Status s = ApplyConfigFile(example.string(), o);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::ifstream in(example);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string described = DescribeLimits();
  size_t start = 0;
  int count = 0;
  while (start < described.size()) {
    size_t end = described.find('\n', start);
    std::string line = described.substr(start, end - start);
    std::string name = line.substr(2, line.find(' ', 2) - 2);  // "  name (default ...)"
    EXPECT_NE(text.find("# " + name + " = "), std::string::npos) << name;
    ++count;
    start = end + 1;
  }
  EXPECT_GT(count, 10);
  // Uncommenting every line must give a valid file with the defaults.
  std::string uncommented;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# ") && line.find(" = ") != std::string::npos &&
        line.find("#", 2) == std::string::npos) {
      line = line.substr(2);
    }
    uncommented += line + "\n";
  }
  ServerOptions all;
  s = ApplyConfig(uncommented, "uncommented", all);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << uncommented;
  EXPECT_EQ(all.limits.max_message_bytes, Limits().max_message_bytes);
  EXPECT_EQ(all.limits.handshake_timeout, Limits().handshake_timeout);
}

}  // namespace
}  // namespace accord::server
