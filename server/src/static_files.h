// static_files.h: serves the web client's built files (web-client/dist) over HTTP.
//
// Open() reads every file under the root into memory once. The built client is small (a few
// MB, most of it the source map), so this costs little and buys a lot: a request is a map
// lookup with no file system access, a path can never reach a file outside the root (only
// files found at Open, canonicalised to lie under the root, are in the map), and ETags are
// content hashes computed once. The price is that a rebuilt client needs a server restart.
//
// Routes: "/" and "/d/<anything>" (the client's document pages) answer index.html; any other
// path answers the file of that name, or 404. Files under /assets/ have content-hashed names
// (Vite) and are cached for a year; everything else must be revalidated (ETag, 304).
//
// Immutable after Open: any thread may call Serve concurrently.
#ifndef ACCORD_SERVER_STATIC_FILES_H_
#define ACCORD_SERVER_STATIC_FILES_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "accord/status.h"
#include "router.h"

namespace accord::server {

class StaticFiles {
 public:
  // Refuse roots larger than this: a mistyped --web (say "/") must fail, not fill memory.
  static constexpr size_t kMaxTotalBytes = 256 * 1024 * 1024;
  static constexpr size_t kMaxFiles = 10'000;

  // Loads the files under `root`, which must contain index.html. Dotfiles and directories are
  // skipped, as are symlinks whose target lies outside the root.
  static Result<std::shared_ptr<const StaticFiles>> Open(const std::string& root);

  // Answers a GET or HEAD (the caller checks the method): 200 with the file, 304 when the
  // request's If-None-Match matches, 400 for a malformed or traversing path, 404 otherwise.
  HttpResponse Serve(const HttpRequest& request) const;

  size_t file_count() const { return files_.size(); }
  size_t total_bytes() const { return total_bytes_; }

  // Exposed for tests.
  static std::string_view ContentTypeFor(std::string_view path);

 private:
  struct File {
    std::string body;
    std::string content_type;
    std::string etag;  // quoted, strong
    bool immutable = false;
  };
  StaticFiles() = default;

  std::unordered_map<std::string, File> files_;  // key: URL path, e.g. "/assets/x.js"
  size_t total_bytes_ = 0;
};

// Decodes the %XX escapes of a URL path into `out`. Returns false on a malformed escape or a
// decoded NUL. Exposed for tests.
bool PercentDecodePath(std::string_view in, std::string& out);

// Whether `etag` (quoted) matches the If-None-Match header value `header` ("*", or a list of
// entity tags, weak ones included: RFC 9110 uses the weak comparison for If-None-Match).
bool EtagMatches(std::string_view header, std::string_view etag);

}  // namespace accord::server

#endif  // ACCORD_SERVER_STATIC_FILES_H_
