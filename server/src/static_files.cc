#include "static_files.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

namespace accord::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

// FNV-1a: the ETag only has to change when the content does; it is not a security boundary
// (the files are public), so a fast non-cryptographic hash is enough.
uint64_t Fnv1a64(std::string_view data) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string MakeEtag(std::string_view body) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"%zx-%016llx\"", body.size(),
                static_cast<unsigned long long>(Fnv1a64(body)));
  return buf;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// True when a decoded path is safe to look up: absolute, no backslash, no "." or ".."
// segment. (Lookups only ever hit the in-memory map, so this is defence in depth and a clear
// 400 for probes rather than the only barrier.)
bool IsCleanPath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find('\\') != std::string_view::npos) return false;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

// Whether `canonical` lies inside the directory `root` (both canonical).
bool IsUnder(const fs::path& canonical, const fs::path& root) {
  fs::path rel = canonical.lexically_relative(root);
  if (rel.empty()) return false;
  const fs::path& first = *rel.begin();
  return first != ".." && first != ".";
}

Status ReadWholeFile(const fs::path& path, size_t max_bytes, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path.string());
  out.clear();
  char buf[64 * 1024];
  while (in) {
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > max_bytes) {
      return Status::ResourceExhausted("web root holds more than " + std::to_string(max_bytes) +
                                       " bytes (is --web pointing at the right directory?)");
    }
  }
  if (in.bad()) return Status::IOError("error reading " + path.string());
  return Status::Ok();
}

}  // namespace

bool PercentDecodePath(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return false;
    out.push_back(c);
  }
  return true;
}

bool EtagMatches(std::string_view header, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    tag = Trim(tag);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
  };
  std::string_view want = opaque(etag);
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = Trim(header.substr(0, comma));
    if (item == "*") return true;
    if (!item.empty() && opaque(item) == want) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

std::string_view StaticFiles::ContentTypeFor(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"txt", "text/plain; charset=utf-8"},
      {"wasm", "application/wasm"},
  };
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return "application/octet-stream";
}

Result<std::shared_ptr<const StaticFiles>> StaticFiles::Open(const std::string& root) {
  std::error_code ec;
  fs::path base = fs::canonical(root, ec);
  if (ec) return Status::NotFound("web root " + root + ": " + ec.message());
  if (!fs::is_directory(base, ec)) {
    return Status::InvalidArgument("web root " + root + " is not a directory");
  }

  std::shared_ptr<StaticFiles> files(new StaticFiles());
  // Symlinked directories are not descended into (directory_options::none); symlinked files
  // are served only if their target is inside the root.
  fs::recursive_directory_iterator it(base, fs::directory_options::none, ec);
  if (ec) return Status::IOError("cannot list web root " + root + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Status::IOError("cannot list web root " + root + ": " + ec.message());
    const fs::path& path = it->path();
    std::string name = path.filename().string();
    if (name.starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;  // .vite/, .DS_Store and friends are build artefacts, not site content
    }
    if (!it->is_regular_file(ec)) continue;  // directories, sockets, dangling links
    fs::path target = fs::canonical(path, ec);
    if (ec || !IsUnder(target, base)) continue;
    if (files->files_.size() >= kMaxFiles) {
      return Status::ResourceExhausted("web root " + root + " holds more than " +
                                       std::to_string(kMaxFiles) + " files");
    }
    File file;
    ACCORD_RETURN_IF_ERROR(ReadWholeFile(target, kMaxTotalBytes - files->total_bytes_, file.body));
    files->total_bytes_ += file.body.size();
    std::string url = "/" + path.lexically_relative(base).generic_string();
    file.content_type = std::string(ContentTypeFor(url));
    file.etag = MakeEtag(file.body);
    file.immutable = url.starts_with("/assets/");
    files->files_.emplace(std::move(url), std::move(file));
  }
  if (ec) return Status::IOError("cannot list web root " + root + ": " + ec.message());
  if (!files->files_.contains("/index.html")) {
    return Status::NotFound("web root " + root +
                            " has no index.html (build the client: cd web-client && npm run "
                            "build)");
  }
  return std::shared_ptr<const StaticFiles>(std::move(files));
}

HttpResponse StaticFiles::Serve(const HttpRequest& request) const {
  std::string_view raw = request.target;
  raw = raw.substr(0, raw.find_first_of("?#"));
  std::string path;
  if (!PercentDecodePath(raw, path) || !IsCleanPath(path)) {
    return Problem(400, "bad-path", "Bad path",
                   "the request path is malformed or leaves the site root");
  }
  // The client routes these itself ("/s/<slug>": a final statement's public page).
  if (path == "/" || path.starts_with("/d/") || path.starts_with("/s/") || path == "/signin" ||
      path == "/invite" || path == "/reset") {
    path = "/index.html";
  }

  auto found = files_.find(path);
  if (found == files_.end()) {
    return Problem(404, "not-found", "Not found",
                   "no resource at " + std::string(raw.substr(0, 200)));
  }
  const File& file = found->second;
  HttpResponse r;
  r.content_type = file.content_type;
  r.headers.emplace_back("ETag", file.etag);
  r.headers.emplace_back("Cache-Control", std::string(file.immutable ? kImmutable : kRevalidate));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // Document links carry their access token in the query string: never leak it to whatever
  // site a link in a document leads to.
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (file.content_type.starts_with("text/html")) {
    r.headers.emplace_back("Content-Security-Policy", "frame-ancestors 'none'");
  }
  if (!request.if_none_match.empty() && EtagMatches(request.if_none_match, file.etag)) {
    r.status = 304;  // no body; the session must not add one
    return r;
  }
  r.body = file.body;
  return r;
}

}  // namespace accord::server
