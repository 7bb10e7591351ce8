#include "instance_key.h"

#include <sodium.h>

namespace accord::server {

namespace {
constexpr size_t kKeyBytes = 32;

// 32 random bytes kept in instance_settings under `setting` (a constant name, not user input)
// as 64 hex digits: read, or made and stored on first use.
Result<std::string> LoadOrCreateSecret(Database& db, const std::string& setting) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  const std::string select = "SELECT value FROM instance_settings WHERE key = '" + setting + "';";
  auto stored = db.QueryText(select);
  if (!stored.ok()) return stored.status();
  std::string key(kKeyBytes, '\0');
  if (stored->empty()) {
    randombytes_buf(key.data(), key.size());
    std::string hex(kKeyBytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(key.data()),
                   key.size());
    hex.pop_back();
    // INSERT OR IGNORE then re-read: two processes starting at once agree on one key.
    ACCORD_RETURN_IF_ERROR(db.Exec("INSERT OR IGNORE INTO instance_settings(key, value) VALUES ('" +
                                   setting + "', '" + hex + "');"));
    sodium_memzero(hex.data(), hex.size());
    stored = db.QueryText(select);
    if (!stored.ok()) return stored.status();
  }
  size_t len = 0;
  if (stored->size() != kKeyBytes * 2 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), stored->data(),
                     stored->size(), nullptr, &len, nullptr) != 0 ||
      len != kKeyBytes) {
    return Status::Corruption("instance_settings." + setting + " is not 64 hex digits");
  }
  return key;
}

}  // namespace

Result<std::string> LoadOrCreateInstanceKey(Database& db) {
  return LoadOrCreateSecret(db, "csrf_key");
}

Result<signon::NoteSigner> LoadOrCreateLogSigner(Database& db, std::string_view origin,
                                                 std::string* previous_origin) {
  if (previous_origin != nullptr) previous_origin->clear();
  if (!signon::IsValidNoteKeyName(origin)) {
    return Status::InvalidArgument("the log origin '" + std::string(origin.substr(0, 200)) +
                                   "' is not a key name (no spaces, no '+')");
  }
  // A key name holds no quote (no spaces, and checked below), so it may be written in SQL.
  if (origin.find('\'') != std::string_view::npos) {
    return Status::InvalidArgument("the log origin must not contain a quote");
  }
  auto recorded = db.QueryText("SELECT value FROM instance_settings WHERE key = 'log_origin';");
  if (!recorded.ok()) return recorded.status();
  if (*recorded != origin) {
    if (!recorded->empty() && previous_origin != nullptr) *previous_origin = *recorded;
    ACCORD_RETURN_IF_ERROR(
        db.Exec("INSERT OR REPLACE INTO instance_settings(key, value) VALUES ('log_origin', '" +
                std::string(origin) + "');"));
  }
  auto seed = LoadOrCreateSecret(db, "log_signing_key");
  if (!seed.ok()) return seed.status();
  auto signer = signon::NoteSigner::FromSeed(origin, *seed);
  sodium_memzero(seed->data(), seed->size());
  return signer;
}

}  // namespace accord::server
