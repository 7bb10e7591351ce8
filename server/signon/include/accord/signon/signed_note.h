// accord/signon/signed_note.h: signed notes, the format of Go's checksum database
// (golang.org/x/mod/sumdb/note, specified as C2SP signed-note) that transparency logs such as
// Sigstore Rekor sign their checkpoints in. Ed25519 keys only.
//
//   <text, valid UTF-8, no control characters but "\n", ending in "\n">
//   <blank line>
//   — <key name> <base64(key hash, 4 bytes big-endian || Ed25519 signature of the text)>
//   ...one line per signature (at most 100)
//
// The key hash is the first 4 bytes of SHA-256(name || "\n" || 0x01 || public key); a verifier
// key is written "<name>+<8 hex digits of the hash>+<base64(0x01 || public key)>", a signer key
// "PRIVATE+KEY+<name>+<hash>+<base64(0x01 || 32-byte seed)>". Key names are non-empty UTF-8
// without spaces (Unicode White_Space) and without '+'.
//
// NoteSigner holds a secret key (wiped on destruction). All types are immutable values: const
// use from many threads is safe.
#ifndef ACCORD_SIGNON_SIGNED_NOTE_H_
#define ACCORD_SIGNON_SIGNED_NOTE_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "accord/status.h"

namespace accord::signon {

inline constexpr unsigned char kNoteAlgEd25519 = 0x01;
inline constexpr size_t kMaxNoteSignatures = 100;

bool IsValidNoteKeyName(std::string_view name);
// Whether `text` may be signed: UTF-8, ends in "\n", no control character other than "\n".
bool IsValidNoteText(std::string_view text);
// First 4 bytes, big-endian, of SHA-256(name || "\n" || key) with key = algorithm byte || pubkey.
uint32_t NoteKeyHash(std::string_view name, std::string_view key);

class NoteVerifier {
 public:
  // "<name>+<hash>+<base64(0x01 || 32-byte key)>"; the hash must match the name and key.
  static Result<NoteVerifier> Parse(std::string_view verifier_key);
  static Result<NoteVerifier> FromPublicKey(std::string_view name, std::string_view public_key);

  const std::string& name() const { return name_; }
  uint32_t key_hash() const { return key_hash_; }
  std::string_view public_key() const {
    return {reinterpret_cast<const char*>(public_key_.data()), public_key_.size()};
  }
  std::string ToString() const;  // the verifier key text Parse reads
  bool Verify(std::string_view message, std::string_view signature) const;

 private:
  std::string name_;
  uint32_t key_hash_ = 0;
  std::array<unsigned char, 32> public_key_{};
};

class NoteSigner {
 public:
  static Result<NoteSigner> FromSeed(std::string_view name, std::string_view seed);
  // "PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>".
  static Result<NoteSigner> Parse(std::string_view signer_key);

  NoteSigner(const NoteSigner&) = default;
  NoteSigner& operator=(const NoteSigner&) = default;
  ~NoteSigner();

  const std::string& name() const { return name_; }
  uint32_t key_hash() const { return key_hash_; }
  NoteVerifier Verifier() const;
  std::string ToString() const;                      // the signer key text Parse reads
  std::string Sign(std::string_view message) const;  // 64-byte detached Ed25519 signature

 private:
  NoteSigner() = default;
  std::string name_;
  uint32_t key_hash_ = 0;
  std::array<unsigned char, 64> secret_key_{};  // libsodium layout: seed || public key
};

struct NoteSignature {
  std::string name;
  uint32_t key_hash = 0;
  std::string signature;  // the bytes after the key hash

  bool operator==(const NoteSignature&) const = default;
};

struct ParsedNote {
  std::string text;
  std::vector<NoteSignature> signatures;
};

struct OpenedNote {
  std::string text;
  std::vector<NoteSignature> verified;    // by the given verifiers, each key at most once
  std::vector<NoteSignature> unverified;  // by keys the caller does not know
};

// The signed note: text, a blank line, one signature line per signer (in the order given).
// kInvalidArgument if the text may not be signed or there is no signer.
Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner> signers);

// Syntax only: kCorruption if `note` is not a well-formed signed note.
Result<ParsedNote> ParseNote(std::string_view note);

// Parses and checks signatures against `verifiers` (looked up by name and key hash). Signatures
// by unknown keys are returned unverified; a bad signature by a known key is kUnauthenticated,
// as is a note with no signature by any known key. Malformed notes are kCorruption. Every line
// by a known key must verify, repeated lines included; a key verified twice is listed once.
Result<OpenedNote> OpenNote(std::string_view note, std::span<const NoteVerifier> verifiers);

}  // namespace accord::signon

#endif  // ACCORD_SIGNON_SIGNED_NOTE_H_
