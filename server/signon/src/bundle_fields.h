// Internal to the bundle verifier: typed reads of the members of log entries and the format
// rules of the signed objects (contract sections 2 and 3, BUNDLE.md). Pure; thread-safe.
#ifndef ACCORD_SIGNON_BUNDLE_FIELDS_H_
#define ACCORD_SIGNON_BUNDLE_FIELDS_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace accord::signon {

// The member if present with that type (integers: exact, within int64), else nullopt/nullptr.
std::optional<std::string> StrField(const boost::json::object& obj, std::string_view key);
std::optional<int64_t> IntField(const boost::json::object& obj, std::string_view key);
const boost::json::object* ObjField(const boost::json::object& obj, std::string_view key);
// The raw 32 bytes of the entry's "public_key" (standard base64), if it is one.
std::optional<std::string> KeyBytes(const boost::json::object& entry);

// The common part of endorsement and withdrawal entries: the signed object (member `member`),
// its JCS bytes and their SHA-256 (hex), and the wrapper's stated hash, key and signature
// (raw bytes; nullopt when missing or of the wrong length).
struct SignedEntry {
  const boost::json::object* object = nullptr;
  std::string canonical;
  std::string canonical_sha256;
  std::optional<std::string> stated_sha256;
  std::optional<int64_t> key_id;
  std::optional<std::string> public_key;  // 32 bytes
  std::optional<std::string> signature;   // 64 bytes
};
SignedEntry ReadSignedEntry(const boost::json::object& body, std::string_view member);

// "" if the object has exactly the members of an accord-endorsement-v1 (resp. withdrawal)
// with the right types and limits; else what is wrong, for a person.
std::string EndorsementFormatProblem(const boost::json::object& endorsement);
std::string WithdrawalFormatProblem(const boost::json::object& withdrawal);

}  // namespace accord::signon

#endif  // ACCORD_SIGNON_BUNDLE_FIELDS_H_
