#include "static_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace accord::server {
namespace {

namespace fs = std::filesystem;

std::string Header(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// A scratch web root:
//   <tmp>/site/index.html, assets/app-1a2b.js, assets/app-1a2b.css, favicon.ico,
//   manifest.webmanifest, .env (dotfile), inside-link -> assets/app-1a2b.js,
//   escape-link -> ../secret.txt, escape-dir -> .. (directory symlink)
//   <tmp>/secret.txt
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "accord-static-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    tmp_ = pattern;
    site_ = tmp_ / "site";
    WriteFile(site_ / "index.html", "<!doctype html><title>Accord</title>");
    WriteFile(site_ / "assets" / "app-1a2b.js", "console.log(1)");
    WriteFile(site_ / "assets" / "app-1a2b.css", "body{}");
    WriteFile(site_ / "favicon.ico", std::string("\0\0\1\0", 4));
    WriteFile(site_ / "manifest.webmanifest", "{}");
    WriteFile(site_ / ".env", "SECRET=1");
    WriteFile(tmp_ / "secret.txt", "top secret");
    fs::create_symlink("assets/app-1a2b.js", site_ / "inside-link.js");
    fs::create_symlink("../secret.txt", site_ / "escape-link.txt");
    fs::create_directory_symlink("..", site_ / "escape-dir");
  }
  void TearDown() override { fs::remove_all(tmp_); }

  std::shared_ptr<const StaticFiles> OpenSite() {
    auto files = StaticFiles::Open(site_.string());
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    return files.ok() ? *files : nullptr;
  }

  fs::path tmp_;
  fs::path site_;
};

TEST_F(StaticFilesTest, RootAndDocumentPagesServeIndexHtml) {
  auto files = OpenSite();
  ASSERT_NE(files, nullptr);
  for (const char* target : {"/", "/index.html", "/d/notes", "/d/a%20b/c?token=xyz", "/?x=1",
                             "/signin", "/invite", "/reset?x=1"}) {
    HttpResponse r = files->Serve({"GET", target});
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, "<!doctype html><title>Accord</title>") << target;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << target;
    EXPECT_EQ(Header(r, "Cache-Control"), "no-cache") << target;
    EXPECT_EQ(Header(r, "Referrer-Policy"), "no-referrer") << target;
  }
}

// A final statement's public page is routed by the client, signed in or not.
TEST_F(StaticFilesTest, PublicStatementPagesServeIndexHtml) {
  auto files = OpenSite();
  ASSERT_NE(files, nullptr);
  for (const char* target : {"/s/paris-2026", "/s/paris-2026?lang=es", "/s/a%20b"}) {
    HttpResponse r = files->Serve({"GET", target});
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, "<!doctype html><title>Accord</title>") << target;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << target;
  }
  // Only that prefix: a file under another name is still not found.
  EXPECT_EQ(files->Serve({"GET", "/sx/paris-2026"}).status, 404);
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutable) {
  auto files = OpenSite();
  ASSERT_NE(files, nullptr);
  HttpResponse js = files->Serve({"GET", "/assets/app-1a2b.js"});
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Header(js, "X-Content-Type-Options"), "nosniff");
  HttpResponse css = files->Serve({"GET", "/assets/app-1a2b.css"});
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  // Outside /assets/, names are not content-hashed: revalidate.
  HttpResponse ico = files->Serve({"GET", "/favicon.ico"});
  EXPECT_EQ(ico.status, 200);
  EXPECT_EQ(ico.body.size(), 4u);
  EXPECT_EQ(ico.content_type, "image/x-icon");
  EXPECT_EQ(Header(ico, "Cache-Control"), "no-cache");
  EXPECT_EQ(files->Serve({"GET", "/manifest.webmanifest"}).content_type,
            "application/manifest+json");
}

TEST_F(StaticFilesTest, EtagRevalidationAnswers304) {
  auto files = OpenSite();
  ASSERT_NE(files, nullptr);
  HttpResponse first = files->Serve({"GET", "/"});
  std::string etag = Header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  EXPECT_NE(etag, Header(files->Serve({"GET", "/favicon.ico"}), "ETag"));

  for (std::string inm : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    HttpResponse r = files->Serve({"GET", "/d/x", inm});
    EXPECT_EQ(r.status, 304) << inm;
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(Header(r, "ETag"), etag);
    EXPECT_EQ(Header(r, "Cache-Control"), "no-cache");
  }
  HttpResponse stale = files->Serve({"GET", "/", "\"0-0000000000000000\""});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body, first.body);
}

TEST_F(StaticFilesTest, EtagChangesWithContentAcrossReopen) {
  auto before = OpenSite();
  ASSERT_NE(before, nullptr);
  std::string old_etag = Header(before->Serve({"GET", "/"}), "ETag");
  WriteFile(site_ / "index.html", "<!doctype html><title>Accord 2</title>");
  auto after = OpenSite();
  ASSERT_NE(after, nullptr);
  // The cache is a snapshot: the first instance still serves what it loaded.
  EXPECT_EQ(Header(before->Serve({"GET", "/"}), "ETag"), old_etag);
  EXPECT_NE(Header(after->Serve({"GET", "/"}), "ETag"), old_etag);
  EXPECT_EQ(after->Serve({"GET", "/", old_etag}).status, 200);
}

TEST_F(StaticFilesTest, TraversalAndMalformedPathsAre400) {
  auto files = OpenSite();
  ASSERT_NE(files, nullptr);
  for (const char* target :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
        "/%2e%2e%2fsecret.txt", "/assets/%2e%2e%2f%2e%2e%2fsecret.txt", "/.%2e/secret.txt",
        "/assets\\..\\..\\secret.txt", "/assets%5c..%5csecret.txt", "/index.html%00.js", "/%00",
        "/%zz", "/%2", "/./index.html", "index.html", "http://evil/index.html"}) {
    HttpResponse r = files->Serve({"GET", target});
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.content_type, "application/problem+json") << target;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << target;
  }
  // Double encoding decodes once: "%252e" is the literal name "%2e", which does not exist.
  EXPECT_EQ(files->Serve({"GET", "/%252e%252e/secret.txt"}).status, 404);
}

TEST_F(StaticFilesTest, SymlinksNeverLeaveTheRoot) {
  auto files = OpenSite();
  ASSERT_NE(files, nullptr);
  EXPECT_EQ(files->Serve({"GET", "/escape-link.txt"}).status, 404);
  EXPECT_EQ(files->Serve({"GET", "/escape-dir/secret.txt"}).status, 404);
  EXPECT_EQ(files->Serve({"GET", "/escape-dir/site/index.html"}).status, 404);
  HttpResponse inside = files->Serve({"GET", "/inside-link.js"});
  EXPECT_EQ(inside.status, 200);
  EXPECT_EQ(inside.body, "console.log(1)");
}

TEST_F(StaticFilesTest, UnknownPathsAndDotfilesAre404ProblemJson) {
  auto files = OpenSite();
  ASSERT_NE(files, nullptr);
  for (const char* target : {"/nope", "/.env", "/assets/", "/assets", "/d", "/assets/missing.js"}) {
    HttpResponse r = files->Serve({"GET", target});
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.content_type, "application/problem+json");
    auto body = boost::json::parse(r.body).as_object();
    EXPECT_EQ(body["type"].as_string(), "/problems/not-found");
  }
  EXPECT_EQ(files->file_count(), 6u);  // 5 files + the inside symlink
}

TEST_F(StaticFilesTest, OpenFailsWithoutIndexOrRoot) {
  fs::remove(site_ / "index.html");
  auto no_index = StaticFiles::Open(site_.string());
  ASSERT_FALSE(no_index.ok());
  EXPECT_NE(no_index.status().message().find("index.html"), std::string::npos);
  EXPECT_FALSE(StaticFiles::Open((tmp_ / "missing").string()).ok());
  EXPECT_FALSE(StaticFiles::Open((tmp_ / "secret.txt").string()).ok());
}

TEST(StaticFilesHelpersTest, ContentTypes) {
  EXPECT_EQ(StaticFiles::ContentTypeFor("/a/b.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/x.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/x.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/i.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/d.json"), "application/json");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/x.js.map"), "application/json");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/f.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/p.png"), "image/png");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/favicon.ico"), "image/x-icon");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/m.webmanifest"), "application/manifest+json");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/README"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::ContentTypeFor("/dir.v2/README"), "application/octet-stream");
}

TEST(StaticFilesHelpersTest, PercentDecoding) {
  std::string out;
  EXPECT_TRUE(PercentDecodePath("/a%20b%2Fc", out));
  EXPECT_EQ(out, "/a b/c");
  EXPECT_FALSE(PercentDecodePath("/a%2", out));
  EXPECT_FALSE(PercentDecodePath("/a%", out));
  EXPECT_FALSE(PercentDecodePath("/a%g0", out));
  EXPECT_FALSE(PercentDecodePath("/a%00", out));
  EXPECT_FALSE(PercentDecodePath(std::string_view("/a\0b", 4), out));
}

TEST(StaticFilesHelpersTest, EtagMatching) {
  EXPECT_TRUE(EtagMatches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagMatches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagMatches(" \"x\" ,\t\"abc\" ", "\"abc\""));
  EXPECT_TRUE(EtagMatches("*", "\"abc\""));
  EXPECT_FALSE(EtagMatches("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(EtagMatches("abc", "\"abc\""));
  EXPECT_FALSE(EtagMatches(",,", "\"abc\""));
  EXPECT_FALSE(EtagMatches("", "\"abc\""));
}

// The real client build, when present: every asset index.html names must be served, with the
// long-lived cache header. `make test` builds the client before running this.
TEST(StaticFilesDistTest, ServesTheBuiltWebClient) {
  const char* source = std::getenv("ACCORD_SOURCE_DIR");
  fs::path dist = fs::path(source ? source : ACCORD_SOURCE_ROOT) / "web-client" / "dist";
  ASSERT_TRUE(fs::exists(dist / "index.html"))
      << "no " << dist << "/index.html: build the web client first (make web)";
  auto files = StaticFiles::Open(dist.string());
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  HttpResponse index = (*files)->Serve({"GET", "/d/some-document?token=t"});
  ASSERT_EQ(index.status, 200);
  std::regex asset(R"re((?:src|href)="(/assets/[^"]+)")re");
  int seen = 0;
  for (std::sregex_iterator it(index.body.begin(), index.body.end(), asset), end; it != end; ++it) {
    HttpResponse r = (*files)->Serve({"HEAD", (*it)[1].str()});
    EXPECT_EQ(r.status, 200) << (*it)[1].str();
    EXPECT_EQ(Header(r, "Cache-Control"), "public, max-age=31536000, immutable");
    ++seen;
  }
  EXPECT_GT(seen, 0) << index.body;
}

}  // namespace
}  // namespace accord::server
