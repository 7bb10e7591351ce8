#include "accord/signon/signed_note.h"

#include <sodium.h>

#include <cstdio>

#include "utf8.h"

namespace accord::signon {
namespace {

// The em dash (U+2014) and space that open every signature line.
constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";

// Unicode White_Space, which Go's unicode.IsSpace also reports (names must not contain it).
bool IsSpace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

std::string Bytes(const unsigned char* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

std::string Hash8(uint32_t h) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

// Splits "a+b+c" style keys into at most `max_fields` fields at '+': the last field is the rest,
// since base64 key data may itself contain '+'.
std::vector<std::string_view> SplitPlus(std::string_view s, size_t max_fields) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max_fields) {
    size_t plus = s.find('+');
    if (plus == std::string_view::npos) break;
    out.push_back(s.substr(0, plus));
    s.remove_prefix(plus + 1);
  }
  out.push_back(s);
  return out;
}

// The name, key hash and algorithm-prefixed key bytes of "<name>+<hash>+<base64 key>", checked
// for form (8 lowercase hex digits, Ed25519 algorithm byte, 33 bytes) and hash.
Status ParseKeyFields(std::string_view name, std::string_view hash_hex, std::string_view b64,
                      std::string& key) {
  if (!IsValidNoteKeyName(name)) return Status::InvalidArgument("invalid note key name");
  auto decoded = Base64Decode(b64);
  if (!decoded || decoded->size() != 33 ||
      static_cast<unsigned char>((*decoded)[0]) != kNoteAlgEd25519) {
    return Status::InvalidArgument("note key is not an Ed25519 key (0x01 || 32 bytes)");
  }
  key = *decoded;
  if (hash_hex.size() != 8 || Hash8(NoteKeyHash(name, key)) != hash_hex) {
    return Status::InvalidArgument("note key hash does not match its name and key");
  }
  return Status::Ok();
}

}  // namespace

bool IsValidNoteKeyName(std::string_view name) {
  if (name.empty()) return false;
  size_t pos = 0;
  char32_t cp;
  while (pos < name.size()) {
    if (!DecodeUtf8(name, pos, cp)) return false;
    if (cp == '+' || IsSpace(cp) || cp < 0x20) return false;
  }
  return true;
}

bool IsValidNoteText(std::string_view text) {
  if (text.empty() || text.back() != '\n') return false;
  size_t pos = 0;
  char32_t cp;
  while (pos < text.size()) {
    if (!DecodeUtf8(text, pos, cp)) return false;
    if (cp < 0x20 && cp != '\n') return false;
  }
  return true;
}

uint32_t NoteKeyHash(std::string_view name, std::string_view key) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(name.data()), name.size());
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>("\n"), 1);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  return (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) | (uint32_t{h[2]} << 8) | h[3];
}

Result<NoteVerifier> NoteVerifier::FromPublicKey(std::string_view name,
                                                 std::string_view public_key) {
  if (!IsValidNoteKeyName(name)) return Status::InvalidArgument("invalid note key name");
  if (public_key.size() != 32) return Status::InvalidArgument("Ed25519 public keys are 32 bytes");
  NoteVerifier v;
  v.name_ = std::string(name);
  std::copy(public_key.begin(), public_key.end(), v.public_key_.begin());
  v.key_hash_ = NoteKeyHash(name, std::string(1, kNoteAlgEd25519) + std::string(public_key));
  return v;
}

Result<NoteVerifier> NoteVerifier::Parse(std::string_view verifier_key) {
  auto fields = SplitPlus(verifier_key, 3);
  if (fields.size() != 3) return Status::InvalidArgument("a verifier key is name+hash+key");
  std::string key;
  if (Status s = ParseKeyFields(fields[0], fields[1], fields[2], key); !s.ok()) return s;
  return FromPublicKey(fields[0], std::string_view(key).substr(1));
}

std::string NoteVerifier::ToString() const {
  return name_ + "+" + Hash8(key_hash_) + "+" +
         Base64Encode(std::string(1, kNoteAlgEd25519) +
                      Bytes(public_key_.data(), public_key_.size()));
}

bool NoteVerifier::Verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), public_key_.data()) == 0;
}

Result<NoteSigner> NoteSigner::FromSeed(std::string_view name, std::string_view seed) {
  if (!IsValidNoteKeyName(name)) return Status::InvalidArgument("invalid note key name");
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return Status::InvalidArgument("Ed25519 seeds are 32 bytes");
  }
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialize");
  NoteSigner s;
  s.name_ = std::string(name);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(pk, s.secret_key_.data(),
                           reinterpret_cast<const unsigned char*>(seed.data()));
  s.key_hash_ = NoteKeyHash(name, std::string(1, kNoteAlgEd25519) + Bytes(pk, sizeof pk));
  return s;
}

Result<NoteSigner> NoteSigner::Parse(std::string_view signer_key) {
  auto fields = SplitPlus(signer_key, 5);
  if (fields.size() != 5 || fields[0] != "PRIVATE" || fields[1] != "KEY") {
    return Status::InvalidArgument("a signer key is PRIVATE+KEY+name+hash+key");
  }
  auto decoded = Base64Decode(fields[4]);
  if (!decoded || decoded->size() != 33 ||
      static_cast<unsigned char>((*decoded)[0]) != kNoteAlgEd25519) {
    return Status::InvalidArgument("signer key is not an Ed25519 seed (0x01 || 32 bytes)");
  }
  auto signer = FromSeed(fields[2], std::string_view(*decoded).substr(1));
  sodium_memzero(decoded->data(), decoded->size());
  if (!signer.ok()) return signer.status();
  if (Hash8(signer.value().key_hash()) != fields[3]) {
    return Status::InvalidArgument("signer key hash does not match its name and key");
  }
  return signer;
}

NoteSigner::~NoteSigner() { sodium_memzero(secret_key_.data(), secret_key_.size()); }

NoteVerifier NoteSigner::Verifier() const {
  // The public key is the second half of libsodium's secret key.
  return NoteVerifier::FromPublicKey(name_, Bytes(secret_key_.data() + 32, 32)).value();
}

std::string NoteSigner::ToString() const {
  std::string key(1, kNoteAlgEd25519);
  key += Bytes(secret_key_.data(), 32);
  std::string out = "PRIVATE+KEY+" + name_ + "+" + Hash8(key_hash_) + "+" + Base64Encode(key);
  sodium_memzero(key.data(), key.size());
  return out;
}

std::string NoteSigner::Sign(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_key_.data());
  return Bytes(sig, sizeof sig);
}

Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner> signers) {
  if (!IsValidNoteText(text)) {
    return Status::InvalidArgument(
        "note text must be UTF-8 without control characters other than newline and end in one");
  }
  if (signers.empty()) return Status::InvalidArgument("a signed note needs a signer");
  if (signers.size() > kMaxNoteSignatures) {
    return Status::InvalidArgument("too many signers for one note");
  }
  std::string out(text);
  out.push_back('\n');
  for (const NoteSigner& s : signers) {
    uint32_t h = s.key_hash();
    std::string blob = {static_cast<char>(h >> 24), static_cast<char>(h >> 16),
                        static_cast<char>(h >> 8), static_cast<char>(h)};
    blob += s.Sign(text);
    out += std::string(kSigPrefix) + s.name() + " " + Base64Encode(blob) + "\n";
  }
  return out;
}

Result<ParsedNote> ParseNote(std::string_view note) {
  // The text ends at the last blank line: signature lines never contain one.
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return Status::Corruption("note has no signature block");
  ParsedNote parsed;
  parsed.text = std::string(note.substr(0, split + 1));
  if (!IsValidNoteText(parsed.text)) return Status::Corruption("note text is malformed");
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') return Status::Corruption("note has no signatures");
  while (!sigs.empty()) {
    size_t eol = sigs.find('\n');
    std::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (parsed.signatures.size() == kMaxNoteSignatures) {
      return Status::Corruption("note has too many signatures");
    }
    if (!line.starts_with(kSigPrefix)) return Status::Corruption("malformed signature line");
    line.remove_prefix(kSigPrefix.size());
    size_t space = line.find(' ');
    if (space == std::string_view::npos) return Status::Corruption("malformed signature line");
    std::string_view name = line.substr(0, space);
    auto blob = Base64Decode(line.substr(space + 1));
    if (!IsValidNoteKeyName(name) || !blob || blob->size() < 5) {
      return Status::Corruption("malformed signature line");
    }
    NoteSignature sig;
    sig.name = std::string(name);
    for (int i = 0; i < 4; ++i) {
      sig.key_hash = (sig.key_hash << 8) | static_cast<unsigned char>((*blob)[i]);
    }
    sig.signature = blob->substr(4);
    parsed.signatures.push_back(std::move(sig));
  }
  return parsed;
}

Result<OpenedNote> OpenNote(std::string_view note, std::span<const NoteVerifier> verifiers) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  OpenedNote opened;
  opened.text = std::move(parsed.value().text);
  for (NoteSignature& sig : parsed.value().signatures) {
    const NoteVerifier* known = nullptr;
    for (const NoteVerifier& v : verifiers) {
      if (v.name() == sig.name && v.key_hash() == sig.key_hash) known = &v;
    }
    if (known == nullptr) {
      opened.unverified.push_back(std::move(sig));
      continue;
    }
    if (!known->Verify(opened.text, sig.signature)) {
      return Status::Unauthenticated("note signature by " + sig.name + " does not verify");
    }
    bool seen = false;
    for (const NoteSignature& v : opened.verified) {
      seen = seen || (v.name == sig.name && v.key_hash == sig.key_hash);
    }
    if (!seen) opened.verified.push_back(std::move(sig));
  }
  if (opened.verified.empty()) {
    return Status::Unauthenticated("note has no signature by a known key");
  }
  return opened;
}

}  // namespace accord::signon
