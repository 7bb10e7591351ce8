#include "accord/signon/signed_note.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <random>
#include <string>
#include <vector>

#include "utf8.h"

namespace accord::signon {
namespace {

// The example of golang.org/x/mod/sumdb/note: Ed25519 signatures are deterministic, so signing
// its text with its key must give its note byte for byte — interoperability with Go and every
// tool built on it (Rekor, witnesses) rests on this.
constexpr std::string_view kGoSignerKey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kGoVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kGoSignatureLine =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

// A fresh key pair from libsodium, as the instance will make its own.
NoteSigner NewSigner(std::string_view name) {
  EXPECT_GE(sodium_init(), 0);
  std::string seed(32, '\0');
  randombytes_buf(seed.data(), seed.size());
  return NoteSigner::FromSeed(name, seed).value();
}

TEST(SignedNote, ReproducesTheGoExample) {
  auto signer = NoteSigner::Parse(kGoSignerKey);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer.value().ToString(), kGoSignerKey);
  EXPECT_EQ(signer.value().Verifier().ToString(), kGoVerifierKey);
  EXPECT_EQ(signer.value().key_hash(), 0xc74f20a3u);
  NoteSigner signers[] = {signer.value()};
  auto note = SignNote(kGoText, signers);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note.value(), std::string(kGoText) + "\n" + std::string(kGoSignatureLine));

  auto verifier = NoteVerifier::Parse(kGoVerifierKey);
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  NoteVerifier verifiers[] = {verifier.value()};
  auto opened = OpenNote(note.value(), verifiers);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened.value().text, kGoText);
  ASSERT_EQ(opened.value().verified.size(), 1u);
  EXPECT_EQ(opened.value().verified[0].name, "PeterNeumann");
  EXPECT_EQ(opened.value().verified[0].key_hash, 0xc74f20a3u);
}

TEST(SignedNote, KeyHashIsSha256OfNameNewlineAndKey) {
  NoteSigner s = NewSigner("log.example/accord");
  NoteVerifier v = s.Verifier();
  unsigned char h[32];
  std::string input = "log.example/accord\n\x01" + std::string(v.public_key());
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  EXPECT_EQ(v.key_hash(), (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) | (uint32_t{h[2]} << 8) |
                              uint32_t{h[3]});
  EXPECT_EQ(v.ToString(), "log.example/accord+" + HexEncode({reinterpret_cast<const char*>(h), 4}) +
                              "+" + Base64Encode("\x01" + std::string(v.public_key())));
  auto back = NoteVerifier::Parse(v.ToString());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value().public_key(), v.public_key());
  auto signer_back = NoteSigner::Parse(s.ToString());
  ASSERT_TRUE(signer_back.ok());
  EXPECT_EQ(signer_back.value().Sign("x"), s.Sign("x"));
}

TEST(SignedNote, SignsWithSeveralKeysAndVerifiesWithEach) {
  NoteSigner a = NewSigner("a.example"), b = NewSigner("b.example");
  std::string text = "one\n\ntwo \xE2\x82\xAC\n";  // blank lines inside the text are allowed
  NoteSigner both[] = {a, b};
  auto note = SignNote(text, both);
  ASSERT_TRUE(note.ok());
  auto parsed = ParseNote(note.value());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().text, text);
  ASSERT_EQ(parsed.value().signatures.size(), 2u);
  EXPECT_EQ(parsed.value().signatures[1].name, "b.example");
  EXPECT_EQ(parsed.value().signatures[1].key_hash, b.key_hash());
  // The signature is plain Ed25519 over the text, checkable by libsodium directly.
  std::string pk(b.Verifier().public_key());
  EXPECT_EQ(
      crypto_sign_verify_detached(
          reinterpret_cast<const unsigned char*>(parsed.value().signatures[1].signature.data()),
          reinterpret_cast<const unsigned char*>(text.data()), text.size(),
          reinterpret_cast<const unsigned char*>(pk.data())),
      0);

  NoteVerifier only_b[] = {b.Verifier()};
  auto opened = OpenNote(note.value(), only_b);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ASSERT_EQ(opened.value().verified.size(), 1u);
  EXPECT_EQ(opened.value().verified[0].name, "b.example");
  ASSERT_EQ(opened.value().unverified.size(), 1u);  // a's key is unknown: kept, not trusted
  EXPECT_EQ(opened.value().unverified[0].name, "a.example");
}

TEST(SignedNote, RejectsBadSignaturesAndUnknownSigners) {
  NoteSigner s = NewSigner("log.example");
  NoteSigner one[] = {s};
  std::string note = SignNote("tree\n5\n", one).value();
  NoteVerifier known[] = {s.Verifier()};
  ASSERT_TRUE(OpenNote(note, known).ok());

  // A changed text no longer verifies under the known key.
  std::string changed = note;
  changed[5] = '6';
  EXPECT_EQ(OpenNote(changed, known).status().code(), Status::Code::kUnauthenticated);
  // Neither does a signature made by another key under the same name and hash.
  NoteSigner other = NewSigner("log.example");
  NoteSigner other_one[] = {other};
  std::string forged = SignNote("tree\n5\n", other_one).value();
  std::string forged_line = forged.substr(forged.find("\n\n") + 2);
  std::string forged_sig = *Base64Decode(forged_line.substr(
      forged_line.rfind(' ') + 1, forged_line.size() - 1 - (forged_line.rfind(' ') + 1)));
  uint32_t h = s.key_hash();
  std::string blob = {static_cast<char>(h >> 24), static_cast<char>(h >> 16),
                      static_cast<char>(h >> 8), static_cast<char>(h)};
  blob += forged_sig.substr(4);
  std::string spliced = "tree\n5\n\n\xE2\x80\x94 log.example " + Base64Encode(blob) + "\n";
  EXPECT_EQ(OpenNote(spliced, known).status().code(), Status::Code::kUnauthenticated);
  // A repeated good line is listed once; a broken repeat after a good line still rejects.
  std::string good_line = note.substr(note.find("\n\n") + 2);
  auto twice = OpenNote(note + good_line, known);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice.value().verified.size(), 1u);
  EXPECT_EQ(OpenNote(note + spliced.substr(spliced.find("\n\n") + 2), known).status().code(),
            Status::Code::kUnauthenticated);
  // Only unknown signers: nothing verified.
  NoteVerifier unrelated[] = {NewSigner("elsewhere").Verifier()};
  EXPECT_EQ(OpenNote(note, unrelated).status().code(), Status::Code::kUnauthenticated);
  EXPECT_EQ(OpenNote(note, {}).status().code(), Status::Code::kUnauthenticated);
}

TEST(SignedNote, RefusesMalformedNotes) {
  NoteSigner s = NewSigner("n");
  NoteSigner one[] = {s};
  std::string good = SignNote("t\n", one).value();
  std::string line = good.substr(3);  // "— n <b64>\n"
  for (const std::string& bad : std::vector<std::string>{
           std::string("t\n"),                         // no signature block
           "t\n\n",                                    // no signatures
           "t\n\n" + line.substr(0, line.size() - 1),  // last line unterminated
           "t\n\n-- n AAAAAAAA\n",                     // not an em dash
           "t\n\n\xE2\x80\x94 n\n",                    // no signature
           "t\n\n\xE2\x80\x94 n AAAA\n",               // fewer than 5 bytes
           "t\n\n\xE2\x80\x94 n !!!!!!!!\n",           // not base64
           "t\n\n\xE2\x80\x94 a+b AAAAAAAA\n",         // '+' in the name
           "t\r\n\n" + line,                           // control character in the text
           "\xFF\n\n" + line,                          // invalid UTF-8
           good + "\n",                                // trailing blank line
       }) {
    EXPECT_EQ(ParseNote(bad).status().code(), Status::Code::kCorruption) << bad;
  }
  std::string many = "t\n\n";
  for (size_t i = 0; i <= kMaxNoteSignatures; ++i) many += line;
  EXPECT_EQ(ParseNote(many).status().code(), Status::Code::kCorruption);
}

TEST(SignedNote, RefusesUnsignableTextsAndBadKeys) {
  NoteSigner s = NewSigner("n");
  NoteSigner one[] = {s};
  EXPECT_FALSE(SignNote("no newline", one).ok());
  EXPECT_FALSE(SignNote("", one).ok());
  EXPECT_FALSE(SignNote("tab\there\n", one).ok());
  EXPECT_FALSE(SignNote("\xC3\x28\n", one).ok());
  EXPECT_FALSE(SignNote("fine\n", {}).ok());

  EXPECT_FALSE(IsValidNoteKeyName(""));
  EXPECT_FALSE(IsValidNoteKeyName("a b"));
  EXPECT_FALSE(
      IsValidNoteKeyName("a\xE3\x80\x80"  // ideographic space
                         "b"));
  EXPECT_FALSE(IsValidNoteKeyName("a+b"));
  EXPECT_TRUE(IsValidNoteKeyName("accord.example/log/\xC3\xA9"));
  EXPECT_FALSE(NoteSigner::FromSeed("n", "short").ok());

  std::string v(kGoVerifierKey);
  EXPECT_FALSE(NoteVerifier::Parse(v.substr(0, v.size() - 4)).ok());               // truncated key
  EXPECT_FALSE(NoteVerifier::Parse("PeterNeumann+c74f20a4" + v.substr(21)).ok());  // hash
  EXPECT_FALSE(NoteVerifier::Parse("PeterNeumanN" + v.substr(12)).ok());           // name
  EXPECT_FALSE(NoteVerifier::Parse(v + "+x").ok());  // '+' is not base64 of a key
  EXPECT_FALSE(NoteSigner::Parse(kGoVerifierKey).ok());
  std::string k(kGoSignerKey);
  EXPECT_FALSE(NoteSigner::Parse("PRIVATE+KEY+PeterNeumann+00000000" + k.substr(33)).ok());
}

// Hostile input: mutated notes never crash the parser, and the only text a mutated note can
// open to is the text that was signed.
TEST(SignedNote, MutatedNotesOpenOnlyToTheSignedText) {
  NoteSigner a = NewSigner("a.example"), b = NewSigner("b.example");
  NoteSigner both[] = {a, b};
  const std::string text = "accord.example.org/log\n42\nroot\n";
  const std::string note = SignNote(text, both).value();
  NoteVerifier verifiers[] = {a.Verifier()};
  std::mt19937 rng(8);  // fixed: the same cases every run
  const std::string alphabet = "\n +/=A0a\xE2\x80\x94";
  int opened = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string s = note;
    for (int k = std::uniform_int_distribution<int>(1, 3)(rng); k > 0; --k) {
      size_t at = std::uniform_int_distribution<size_t>(0, s.size() - 1)(rng);
      char c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
      switch (rng() % 3) {
        case 0:
          s[at] = c;
          break;
        case 1:
          s.insert(s.begin() + at, c);
          break;
        default:
          s.erase(at, 1);
      }
    }
    auto r = OpenNote(s, verifiers);
    if (r.ok()) {
      ++opened;
      EXPECT_EQ(r.value().text, text) << s;
    }
  }
  // Mutations confined to b's line leave a's signature standing.
  EXPECT_GT(opened, 0);
}

}  // namespace
}  // namespace accord::signon
