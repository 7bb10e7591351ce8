#include "instance_key.h"

#include <sodium.h>

namespace accord::server {

namespace {
constexpr size_t kKeyBytes = 32;
}  // namespace

Result<std::string> LoadOrCreateInstanceKey(Database& db) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  auto stored = db.QueryText("SELECT value FROM instance_settings WHERE key = 'csrf_key';");
  if (!stored.ok()) return stored.status();
  std::string key(kKeyBytes, '\0');
  if (stored->empty()) {
    randombytes_buf(key.data(), key.size());
    std::string hex(kKeyBytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(key.data()),
                   key.size());
    hex.pop_back();
    // INSERT OR IGNORE then re-read: two processes starting at once agree on one key.
    ACCORD_RETURN_IF_ERROR(db.Exec(
        "INSERT OR IGNORE INTO instance_settings(key, value) VALUES ('csrf_key', '" + hex + "');"));
    stored = db.QueryText("SELECT value FROM instance_settings WHERE key = 'csrf_key';");
    if (!stored.ok()) return stored.status();
  }
  size_t len = 0;
  if (stored->size() != kKeyBytes * 2 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), stored->data(),
                     stored->size(), nullptr, &len, nullptr) != 0 ||
      len != kKeyBytes) {
    return Status::Corruption("instance_settings.csrf_key is not 64 hex digits");
  }
  return key;
}

}  // namespace accord::server
