// The checks of a verification bundle (BUNDLE.md lists them with their names). Every check runs
// even after others failed, so one tampering shows all its consequences (a changed entry fails
// the root AND its inclusion proof), and each failure names the entry and what differs.
#include <sodium.h>

#include <algorithm>
#include <bit>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "accord/signon/bundle.h"
#include "accord/signon/canonical_json.h"
#include "accord/signon/checkpoint.h"
#include "accord/signon/signed_note.h"
#include "bundle_fields.h"
#include "utf8.h"

namespace accord::signon {
namespace {

namespace json = boost::json;

std::string HashHex(const Hash& h) {
  return HexEncode({reinterpret_cast<const char*>(h.data()), h.size()});
}
std::string HashB64(const Hash& h) {
  return Base64Encode({reinterpret_cast<const char*>(h.data()), h.size()});
}
std::string Sha256Hex(std::string_view bytes) { return HashHex(Sha256(bytes)); }

// The first byte at which two texts differ (or the shorter one's length).
size_t FirstDifference(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

struct Key {
  uint64_t approved_at = 0;  // log index of the key-approval entry
  std::string public_key;    // raw 32 bytes
  int64_t organization_id = 0;
  std::optional<uint64_t> revoked_at;
};

struct Endorsed {
  size_t signatory;  // index into report.signatories
  int64_t organization_id;
};

class Verifier {
  struct Parsed {
    uint64_t index;
    json::object body;
  };

 public:
  Verifier(const Bundle& bundle, const VerifyOptions& options, VerifyReport& report)
      : b_(bundle), options_(options), r_(report) {}

  void Run() {
    r_.statement_slug = b_.statement_slug;
    r_.statement_title = b_.statement_title;
    r_.log_origin = b_.log_origin;
    r_.log_size = b_.log_size;
    CheckKeyAndCheckpoint();
    CheckCompleteness();
    CheckRoot();
    CheckEntries();
    LocateChangedEntries();
    CheckManifest();
    CheckSemantics();
    CheckPrevious();
  }

 private:
  void Fail(std::string check, std::optional<uint64_t> entry, std::string message) {
    if (entry) message = "entry " + std::to_string(*entry) + ": " + message;
    r_.findings.push_back({std::move(check), entry, std::move(message)});
  }

  // --- the log: key, checkpoint, leaves --------------------------------------------------------

  void CheckKeyAndCheckpoint() {
    auto log_key = NoteVerifier::Parse(b_.log_key);
    if (!log_key.ok()) {
      Fail("log-key", std::nullopt,
           "log.key is not a note verifier key (" + log_key.status().message() + ")");
    } else {
      trusted_ = log_key.value();
    }
    if (options_.pinned_key) {
      auto pinned = NoteVerifier::Parse(*options_.pinned_key);
      if (!pinned.ok()) {
        Fail("pinned-key", std::nullopt,
             "the pinned key is not a note verifier key (" + pinned.status().message() + ")");
        trusted_.reset();
      } else {
        if (log_key.ok() && log_key->ToString() != pinned->ToString()) {
          Fail("pinned-key", std::nullopt,
               "the bundle's log key " + log_key->ToString() + " is not the pinned key " +
                   pinned->ToString());
        }
        trusted_ = pinned.value();
      }
    }
    if (trusted_ && b_.log_origin != trusted_->name()) {
      Fail("log-origin", std::nullopt,
           "log.origin \"" + b_.log_origin + "\" is not the key's name \"" + trusted_->name() +
               "\"");
    }
    if (trusted_) {
      auto opened = OpenCheckpoint(b_.log_checkpoint, *trusted_);
      if (opened.ok()) {
        checkpoint_ = opened.value();
        r_.checkpoint_verified = true;
      } else {
        Fail("checkpoint-signature", std::nullopt,
             "the checkpoint is not validly signed by " + trusted_->ToString() + " (" +
                 opened.status().message() + ")");
      }
    }
    if (!checkpoint_) {
      // Read it unverified so the remaining checks still say what else is wrong.
      auto note = ParseNote(b_.log_checkpoint);
      auto cp = note.ok() ? ParseCheckpoint(note->text) : Result<Checkpoint>(note.status());
      if (!cp.ok()) {
        Fail("checkpoint-format", std::nullopt,
             "log.checkpoint is not a checkpoint note (" + cp.status().message() + ")");
        return;
      }
      checkpoint_ = cp.value();
    }
    if (checkpoint_->origin != b_.log_origin) {
      Fail("log-origin", std::nullopt,
           "the checkpoint's origin \"" + checkpoint_->origin + "\" is not log.origin \"" +
               b_.log_origin + "\"");
    }
    if (checkpoint_->tree_size != b_.log_size) {
      Fail("log-size", std::nullopt,
           "log.size is " + std::to_string(b_.log_size) + " but the checkpoint's tree size is " +
               std::to_string(checkpoint_->tree_size));
    }
  }

  // --- the entries: complete, in order, hashing to the checkpoint's root -----------------------

  // The bundle must carry entries 0..size-1, each once, in index order: the root is recomputed
  // from their bodies, so no leaf is left unexplained, and a gap is named by its index.
  void CheckCompleteness() {
    const uint64_t size = checkpoint_ ? checkpoint_->tree_size : b_.log_size;
    if (b_.entries.size() != size) {
      Fail("log-size", std::nullopt,
           "the bundle has " + std::to_string(b_.entries.size()) +
               " entries but the checkpoint's tree has " + std::to_string(size) +
               (b_.entries.size() < size ? ": entries are missing" : ": entries were added"));
    }
    std::vector<bool> seen(size, false);
    std::optional<uint64_t> previous;
    for (size_t pos = 0; pos < b_.entries.size(); ++pos) {
      const uint64_t index = b_.entries[pos].index;
      if (index >= size) {
        Fail("entry-index", index, "beyond the log's size " + std::to_string(size));
      } else if (seen[index]) {
        Fail("entry-order", index, "listed twice (again at position " + std::to_string(pos) + ")");
      } else {
        seen[index] = true;
        if (previous && index < *previous) {
          Fail("entry-order", index,
               "listed at position " + std::to_string(pos) + " after entry " +
                   std::to_string(*previous) + ": entries are out of log order");
        }
      }
      previous = std::max(previous.value_or(0), index);
    }
    // Gaps as ranges, so a bundle missing thousands of entries says so in a few lines.
    for (uint64_t i = 0; i < size; ++i) {
      if (seen[i]) continue;
      uint64_t last = i;
      while (last + 1 < size && !seen[last + 1]) ++last;
      if (last == i) {
        Fail("entry-missing", i, "missing from the bundle");
      } else {
        Fail("entry-missing", i,
             "entries " + std::to_string(i) + " to " + std::to_string(last) +
                 " are missing from the bundle");
      }
      i = last;
    }
  }

  // The leaves in the bundle's order: if anything was dropped, added, moved or changed, their
  // root is not the signed one.
  void CheckRoot() {
    leaves_.reserve(b_.entries.size());
    for (const BundleEntry& e : b_.entries) leaves_.push_back(HashLeaf(e.body));
    if (!checkpoint_) return;
    Hash root = RootFromLeafHashes(leaves_);
    if (root != checkpoint_->root_hash) {
      root_mismatch_ = true;
      Fail("log-root", std::nullopt,
           "the root of the entries' leaves is " + HashB64(root) +
               " but the checkpoint's root is " + HashB64(checkpoint_->root_hash) +
               ": an entry was changed, dropped, added or moved");
    }
  }

  // --- each entry: inclusion proof when it has one, canonical JSON object ---------------------

  void CheckEntries() {
    for (size_t pos = 0; pos < b_.entries.size(); ++pos) {
      const BundleEntry& e = b_.entries[pos];
      ++r_.entries_checked;
      if (checkpoint_ && e.proof && e.index < checkpoint_->tree_size) {
        Status included = VerifyInclusion(leaves_[pos], e.index, checkpoint_->tree_size, *e.proof,
                                          checkpoint_->root_hash);
        if (included.ok()) {
          proven_.push_back(pos);
        } else {
          unproven_.insert(e.index);
          Fail("inclusion-proof", e.index,
               "not proven to be in the checkpoint's tree (" + included.message() +
                   "): the entry was changed or moved");
        }
      }
      auto canonical = CanonicalizeJson(e.body);
      if (!canonical.ok()) {
        Fail("entry-json", e.index, "the body is not JSON (" + canonical.status().message() + ")");
        continue;
      }
      if (*canonical != e.body) {
        size_t at = FirstDifference(*canonical, e.body);
        Fail("entry-canonical", e.index,
             "the body is not in canonical JSON form (RFC 8785; first difference at byte " +
                 std::to_string(at) + ")");
      }
      boost::system::error_code ec;
      json::value v = json::parse(e.body, ec);
      if (ec || !v.is_object()) {
        Fail("entry-json", e.index, "the body is not a JSON object");
        continue;
      }
      parsed_.push_back({e.index, std::move(v.get_object())});
    }
    // The semantic checks follow the log's order even if the bundle's list is shuffled (that is
    // reported above as entry-order).
    std::stable_sort(parsed_.begin(), parsed_.end(),
                     [](const Parsed& a, const Parsed& c) { return a.index < c.index; });
  }

  // --- which entry changed, when the root says only that something did ----------------------

  // An inclusion proof that verifies against the signed root is authentic: each of its hashes is
  // the root of a subtree of the real log. Recomputing those subtrees from the bundle's bodies
  // and comparing narrows a changed entry of ANOTHER statement (which carries no proof of its
  // own) down to the smallest subtree that differs — one entry when the proofs are dense around
  // it, else a range. Only for a complete bundle in log order: otherwise positions are not
  // indices and entry-missing / entry-order have already said what is wrong.
  void LocateChangedEntries() {
    if (!root_mismatch_ || !checkpoint_ || leaves_.size() != checkpoint_->tree_size) return;
    for (size_t pos = 0; pos < b_.entries.size(); ++pos) {
      if (b_.entries[pos].index != pos) return;
    }
    std::map<std::pair<uint64_t, uint64_t>, Hash> memo;
    std::function<Hash(uint64_t, uint64_t)> subtree = [&](uint64_t begin, uint64_t end) {
      if (end - begin == 1) return leaves_[begin];
      auto [it, fresh] = memo.try_emplace({begin, end});
      if (fresh) {
        uint64_t k = std::bit_floor(end - begin - 1);
        it->second = HashChildren(subtree(begin, begin + k), subtree(begin + k, end));
      }
      return it->second;
    };
    // Every differing subtree, with the entry whose proof attests it.
    std::map<std::pair<uint64_t, uint64_t>, uint64_t> differing;
    for (size_t pos : proven_) {
      const BundleEntry& e = b_.entries[pos];
      std::vector<std::pair<uint64_t, uint64_t>> ranges;
      auto recomputed =
          InclusionProof(e.index, checkpoint_->tree_size, [&](uint64_t begin, uint64_t end) {
            ranges.emplace_back(begin, end);
            return subtree(begin, end);
          });
      if (!recomputed.ok() || recomputed->size() != e.proof->size()) continue;
      for (size_t k = 0; k < ranges.size(); ++k) {
        if ((*recomputed)[k] != (*e.proof)[k]) differing.try_emplace(ranges[k], e.index);
      }
    }
    // Report the innermost ones: a range holding a smaller differing range, or an entry whose
    // own proof already failed, adds nothing.
    for (const auto& [range, witness] : differing) {
      auto [begin, end] = range;
      bool inner_known = false;
      for (const auto& [other, unused] : differing) {
        if (other != range && other.first >= begin && other.second <= end) inner_known = true;
      }
      auto failed = unproven_.lower_bound(begin);
      if (failed != unproven_.end() && *failed < end) inner_known = true;
      if (inner_known) continue;
      if (end - begin == 1) {
        Fail("entry-changed", begin,
             "its leaf hash is not the one the inclusion proof of entry " +
                 std::to_string(witness) + " attests: the entry was changed");
      } else {
        Fail("entry-changed", begin,
             "entries " + std::to_string(begin) + " to " + std::to_string(end - 1) +
                 " do not hash to the subtree the inclusion proof of entry " +
                 std::to_string(witness) + " attests: one of them was changed");
      }
    }
  }

  // --- the manifest and the texts --------------------------------------------------------------

  void CheckManifest() {
    const Parsed* entry = nullptr;
    for (const Parsed& p : parsed_) {
      if (p.index == b_.manifest_index) entry = &p;
    }
    if (!entry) {
      Fail("manifest-missing", b_.manifest_index,
           "manifest_index names this entry but the bundle does not include it");
      return;
    }
    uint64_t at = entry->index;
    if (StrField(entry->body, "kind").value_or("") != "final-version") {
      Fail("manifest-entry", at, "manifest_index names an entry that is not a final-version");
      return;
    }
    const json::object* manifest = ObjField(entry->body, "manifest");
    auto stated = StrField(entry->body, "manifest_sha256");
    if (!manifest || !stated) {
      Fail("entry-format", at, "a final-version entry needs manifest and manifest_sha256");
      return;
    }
    manifest_sha256_ = *stated;
    r_.manifest_sha256 = *stated;
    auto jcs = CanonicalizeJsonValue(json::value(*manifest));
    if (!jcs.ok() || Sha256Hex(*jcs) != *stated) {
      Fail("manifest-hash", at,
           "manifest_sha256 is " + *stated + " but the manifest's canonical JSON hashes to " +
               (jcs.ok() ? Sha256Hex(*jcs) : "nothing (" + jcs.status().message() + ")"));
    }
    if (StrField(*manifest, "format").value_or("") != "accord-manifest-v1") {
      Fail("manifest-format", at, "the manifest's format is not \"accord-manifest-v1\"");
    }
    const json::object* statement = ObjField(*manifest, "statement");
    if (!statement || IntField(*statement, "id") != b_.statement_id ||
        StrField(*statement, "slug") != b_.statement_slug ||
        StrField(*statement, "title") != b_.statement_title) {
      Fail("statement", at,
           "the manifest's statement (id, slug, title) is not the bundle's statement " +
               std::to_string(b_.statement_id) + " \"" + b_.statement_slug + "\"");
    }
    const json::object* instance = ObjField(*manifest, "instance");
    auto origin = instance ? StrField(*instance, "origin") : std::nullopt;
    auto public_key = instance ? StrField(*instance, "public_key") : std::nullopt;
    if (origin != b_.log_origin) {
      Fail("instance-origin", at,
           "the manifest's instance.origin \"" + origin.value_or("") + "\" is not log.origin \"" +
               b_.log_origin + "\"");
    }
    if (trusted_ && public_key != Base64Encode(trusted_->public_key())) {
      Fail("instance-key", at,
           "the manifest's instance.public_key " + public_key.value_or("(none)") +
               " is not the log key's " + Base64Encode(trusted_->public_key()));
    }
    CheckTexts(*manifest, at);
  }

  void CheckTexts(const json::object& manifest, uint64_t at) {
    const json::object* languages = ObjField(manifest, "languages");
    if (!languages || languages->empty()) {
      Fail("manifest-format", at, "the manifest lists no languages");
      return;
    }
    for (const auto& [lang, value] : *languages) {
      std::string tag(lang);
      auto want = value.is_object() ? StrField(value.get_object(), "sha256") : std::nullopt;
      auto text = b_.texts.find(tag);
      if (text == b_.texts.end()) {
        Fail("text-missing", std::nullopt,
             "text '" + tag + "': the manifest lists it but the bundle has no such text");
        continue;
      }
      std::string got = Sha256Hex(text->second);
      if (!want || got != *want) {
        // Only the hash was signed, so which byte changed cannot be known; size and hashes are
        // what a reader can compare with a copy of the text they trust.
        Fail("text-hash", std::nullopt,
             "text '" + tag + "' (" + std::to_string(text->second.size()) + " bytes): SHA-256 is " +
                 got + " but the manifest says " + want.value_or("(none)") +
                 ": the text differs from the one signed");
      }
    }
    for (const auto& [tag, text] : b_.texts) {
      if (!languages->contains(tag)) {
        Fail("text-extra", std::nullopt,
             "text '" + tag + "' is not in the manifest: nobody signed it");
      }
    }
  }

  // --- keys, endorsements, withdrawals in log order --------------------------------------------

  void CheckSemantics() {
    for (const Parsed& p : parsed_) {
      std::string kind = StrField(p.body, "kind").value_or("");
      size_t before = r_.findings.size();
      if (kind == "final-version") {
        const json::object* m = ObjField(p.body, "manifest");
        const json::object* s = m ? ObjField(*m, "statement") : nullptr;
        if (s && IntField(*s, "id") == b_.statement_id) {
          // This statement's manifests, to tell a stale endorsement from another statement's.
          if (auto sha = StrField(p.body, "manifest_sha256")) {
            own_manifests_.insert(*sha);
            latest_own_manifest_ = *sha;
          }
          if (p.index > b_.manifest_index) {
            Fail("manifest-not-current", p.index,
                 "a later manifest of this statement was published: the bundle's manifest "
                 "(entry " +
                     std::to_string(b_.manifest_index) + ") is stale");
          }
        }
      } else if (kind == "key-approval") {
        KeyApproval(p);  // keys serve every statement: all approvals count
      } else if (kind == "key-revocation") {
        KeyRevocation(p);
      } else if (kind == "endorsement") {
        if (Concerns(p, "endorsement")) Endorsement(p, before);
      } else if (kind == "withdrawal") {
        if (Concerns(p, "withdrawal")) Withdrawal(p);
      } else {
        Fail("entry-kind", p.index, "unknown entry kind \"" + kind + "\"");
      }
    }
    for (const Signatory& s : r_.signatories) {
      if (!s.valid) continue;
      if (s.withdrawn) {
        ++r_.withdrawn;
      } else {
        ++r_.endorsements_valid;
        if (s.kind == "adheres-with-reservations") ++r_.with_reservations;
      }
    }
  }

  // Whether an endorsement / withdrawal entry is about the current manifest (and so checked in
  // full). Entries of other statements, and those of an earlier manifest of this one logged
  // while it was current, are only hashed into the root. An entry naming an earlier manifest of
  // this statement logged after a later one was published is one the server had to refuse.
  bool Concerns(const Parsed& p, std::string_view member) {
    const json::object* object = ObjField(p.body, member);
    if (!object) return true;  // malformed: checked in full so that it is reported
    std::string named = StrField(*object, "manifest_sha256").value_or("");
    if (!manifest_sha256_.empty() && named == manifest_sha256_) return true;
    if (own_manifests_.count(named) && named != latest_own_manifest_) {
      Fail("stale-manifest", p.index,
           "the " + std::string(member) + " names manifest " + named +
               ", an earlier manifest of this statement than the one published before it (" +
               latest_own_manifest_ + ")");
    }
    return false;
  }

  void KeyApproval(const Parsed& p) {
    auto id = IntField(p.body, "key_id");
    auto pub = KeyBytes(p.body);
    const json::object* org = ObjField(p.body, "organization");
    auto org_id = org ? IntField(*org, "id") : std::nullopt;
    if (!id || !pub || !org_id) {
      Fail("entry-format", p.index, "a key-approval needs key_id, public_key, organization.id");
      return;
    }
    if (keys_.count(*id)) {
      Fail("key-approval", p.index,
           "key " + std::to_string(*id) + " was already approved at entry " +
               std::to_string(keys_[*id].approved_at));
      return;
    }
    keys_[*id] = {p.index, *pub, *org_id, std::nullopt};
  }

  void KeyRevocation(const Parsed& p) {
    auto id = IntField(p.body, "key_id");
    auto pub = KeyBytes(p.body);
    if (!id || !pub) {
      Fail("entry-format", p.index, "a key-revocation needs key_id and public_key");
      return;
    }
    auto it = keys_.find(*id);
    if (it == keys_.end() || it->second.public_key != *pub) {
      Fail("key-revocation", p.index,
           "revokes key " + std::to_string(*id) + " which has no approval with that public key");
      return;
    }
    if (!it->second.revoked_at) it->second.revoked_at = p.index;
  }

  // The key checks common to endorsements and withdrawals; `what` is "the endorsement" or "the
  // withdrawal". False if the key may not sign it.
  bool CheckKey(const Parsed& p, int64_t key_id, const std::string& pub, int64_t org_id,
                const std::string& what) {
    auto it = keys_.find(key_id);
    std::string key = "key " + std::to_string(key_id);
    if (it == keys_.end()) {
      Fail("key-not-approved", p.index,
           what + " is signed with " + key + ", which has no key-approval entry before it");
      return false;
    }
    bool ok = true;
    if (it->second.public_key != pub) {
      Fail("key-mismatch", p.index,
           what + " names " + key + " with another public key than the one approved at entry " +
               std::to_string(it->second.approved_at));
      ok = false;
    }
    if (it->second.revoked_at) {
      Fail("key-revoked", p.index,
           what + " is signed with " + key + ", revoked at entry " +
               std::to_string(*it->second.revoked_at) + " before it");
      ok = false;
    }
    if (it->second.organization_id != org_id) {
      Fail("key-organization", p.index,
           what + " is for organization " + std::to_string(org_id) + " but " + key +
               " belongs to organization " + std::to_string(it->second.organization_id));
      ok = false;
    }
    return ok;
  }

  void Endorsement(const Parsed& p, size_t before) {
    SignedEntry s = ReadSignedEntry(p.body, "endorsement");
    Signatory sig;
    sig.log_index = p.index;
    if (!s.object || !s.key_id || !s.public_key || !s.signature || !s.stated_sha256) {
      Fail("entry-format", p.index,
           "an endorsement entry needs endorsement, endorsement_sha256, key_id, public_key and "
           "signature (base64 of 32 and 64 bytes)");
      return;
    }
    const json::object& e = *s.object;
    sig.key_id = *s.key_id;
    if (std::string problem = EndorsementFormatProblem(e); !problem.empty()) {
      Fail("endorsement-format", p.index, problem);
    }
    const json::object* org = ObjField(e, "organization");
    const json::object* who = ObjField(e, "signatory");
    sig.organization_id = org ? IntField(*org, "id").value_or(0) : 0;
    sig.organization = org ? StrField(*org, "name").value_or("") : "";
    sig.country = org ? StrField(*org, "country").value_or("") : "";
    sig.signatory = who ? StrField(*who, "name").value_or("") : "";
    sig.title = who ? StrField(*who, "title").value_or("") : "";
    sig.kind = StrField(e, "kind").value_or("");
    sig.reservations = StrField(e, "reservations").value_or("");
    sig.signed_at = StrField(e, "signed_at").value_or("");
    CheckSignature(p, s, "endorsement", sig.key_id);
    CheckManifestNamed(p, e, "endorsement");
    CheckKey(p, sig.key_id, *s.public_key, sig.organization_id, "the endorsement");
    std::string nonce = StrField(e, "nonce").value_or("");
    if (endorsements_.count(s.canonical_sha256) || (!nonce.empty() && nonces_.count(nonce))) {
      Fail("replayed", p.index, "the same endorsement or nonce was logged before");
    }
    for (const auto& [sha, prior] : endorsements_) {
      const Signatory& other = r_.signatories[prior.signatory];
      if (prior.organization_id == sig.organization_id && other.valid && !other.withdrawn) {
        Fail("duplicate-endorsement", p.index,
             "organization " + std::to_string(sig.organization_id) +
                 " already has an active endorsement at entry " + std::to_string(other.log_index));
        break;
      }
    }
    sig.valid = r_.findings.size() == before;
    endorsements_[s.canonical_sha256] = {r_.signatories.size(), sig.organization_id};
    nonces_.insert(nonce);
    r_.signatories.push_back(std::move(sig));
  }

  void Withdrawal(const Parsed& p) {
    size_t before = r_.findings.size();
    SignedEntry s = ReadSignedEntry(p.body, "withdrawal");
    if (!s.object || !s.key_id || !s.public_key || !s.signature || !s.stated_sha256) {
      Fail("entry-format", p.index,
           "a withdrawal entry needs withdrawal, withdrawal_sha256, key_id, public_key and "
           "signature (base64 of 32 and 64 bytes)");
      return;
    }
    const json::object& w = *s.object;
    if (std::string problem = WithdrawalFormatProblem(w); !problem.empty()) {
      Fail("withdrawal-format", p.index, problem);
    }
    const json::object* org = ObjField(w, "organization");
    int64_t org_id = org ? IntField(*org, "id").value_or(0) : 0;
    CheckSignature(p, s, "withdrawal", *s.key_id);
    CheckManifestNamed(p, w, "withdrawal");
    CheckKey(p, *s.key_id, *s.public_key, org_id, "the withdrawal");
    std::string target = StrField(w, "endorsement_sha256").value_or("");
    auto it = endorsements_.find(target);
    if (it == endorsements_.end()) {
      Fail("withdrawal-target", p.index,
           "withdraws endorsement " + target + ", which is not in the bundle before it");
      return;
    }
    Signatory& endorsed = r_.signatories[it->second.signatory];
    if (endorsed.organization_id != org_id) {
      Fail("withdrawal-organization", p.index,
           "organization " + std::to_string(org_id) + " withdraws the endorsement of entry " +
               std::to_string(endorsed.log_index) + ", made by organization " +
               std::to_string(endorsed.organization_id));
    }
    if (endorsed.withdrawn) {
      Fail("withdrawal-target", p.index,
           "the endorsement of entry " + std::to_string(endorsed.log_index) +
               " was already withdrawn");
    }
    if (r_.findings.size() == before) {
      endorsed.withdrawn = true;
      endorsed.withdrawn_at = StrField(w, "signed_at").value_or("");
    }
  }

  void CheckSignature(const Parsed& p, const SignedEntry& s, const std::string& what,
                      int64_t key_id) {
    if (s.canonical_sha256 != *s.stated_sha256) {
      Fail(what + "-hash", p.index,
           what + "_sha256 is " + *s.stated_sha256 + " but the " + what +
               "'s canonical JSON hashes to " + s.canonical_sha256);
    }
    if (sodium_init() < 0 ||
        crypto_sign_verify_detached(
            reinterpret_cast<const unsigned char*>(s.signature->data()),
            reinterpret_cast<const unsigned char*>(s.canonical.data()), s.canonical.size(),
            reinterpret_cast<const unsigned char*>(s.public_key->data())) != 0) {
      Fail(what + "-signature", p.index,
           what + " signature does not verify with key " + std::to_string(key_id));
    }
  }

  void CheckManifestNamed(const Parsed& p, const json::object& signed_object,
                          const std::string& what) {
    std::string named = StrField(signed_object, "manifest_sha256").value_or("");
    if (manifest_sha256_.empty()) return;  // no manifest: reported as manifest-missing
    if (named != manifest_sha256_) {
      Fail("stale-manifest", p.index,
           "the " + what + " names manifest " + named + ", not the current " + manifest_sha256_);
    } else if (p.index < b_.manifest_index) {
      Fail("entry-order", p.index,
           "the " + what + " is logged before the manifest it names (entry " +
               std::to_string(b_.manifest_index) + ")");
    }
  }

  // --- an earlier checkpoint -------------------------------------------------------------------

  void CheckPrevious() {
    if (!options_.previous_checkpoint) return;
    if (!trusted_) {
      Fail("previous-checkpoint-signature", std::nullopt,
           "no usable log key to check the previous checkpoint with");
      return;
    }
    auto previous = OpenCheckpoint(*options_.previous_checkpoint, *trusted_);
    if (!previous.ok()) {
      Fail("previous-checkpoint-signature", std::nullopt,
           "the previous checkpoint is not validly signed by " + trusted_->ToString() + " (" +
               previous.status().message() + ")");
      return;
    }
    uint64_t m = previous->tree_size;
    r_.previous_size = m;
    uint64_t n = leaves_.size();
    if (m > n) {
      Fail("previous-checkpoint-size", std::nullopt,
           "the earlier checkpoint has " + std::to_string(m) + " entries but this log only " +
               std::to_string(n) + ": the log lost entries");
      return;
    }
    std::span<const Hash> leaves(leaves_);
    Hash old_root = RootFromLeafHashes(leaves.first(m));
    std::string why;
    if (old_root != previous->root_hash) {
      why = "the root of its first " + std::to_string(m) + " leaves is " + HashB64(old_root) +
            " where the earlier checkpoint has " + HashB64(previous->root_hash);
    }
    // The RFC 9162 proof a log would serve, built here from the leaves: it verifies the old
    // root against the NEW checkpoint's root, so it also catches leaves that match neither.
    if (checkpoint_) {
      auto proof = ConsistencyProof(leaves, m);
      Status consistent = proof.ok()
                              ? VerifyConsistency(m, checkpoint_->tree_size, previous->root_hash,
                                                  checkpoint_->root_hash, *proof)
                              : proof.status();
      if (!consistent.ok()) {
        why += (why.empty() ? "" : "; ") +
               std::string("the consistency proof to the checkpoint does not verify (") +
               consistent.message() + ")";
      }
    }
    if (!why.empty()) {
      Fail("log-not-extension", std::nullopt,
           "the log is not an extension of the earlier checkpoint of size " + std::to_string(m) +
               ": " + why);
    }
  }

  const Bundle& b_;
  const VerifyOptions& options_;
  VerifyReport& r_;
  std::optional<NoteVerifier> trusted_;
  std::optional<Checkpoint> checkpoint_;
  std::vector<Hash> leaves_;  // HashLeaf of each entry's body, in the bundle's order
  std::vector<Parsed> parsed_;
  bool root_mismatch_ = false;
  std::vector<size_t> proven_;   // positions of entries whose inclusion proof verified
  std::set<uint64_t> unproven_;  // indices of entries whose inclusion proof failed
  std::string manifest_sha256_;
  std::set<std::string> own_manifests_;  // manifest_sha256 of this statement's final-versions
  std::string latest_own_manifest_;      // while walking the log: the latest of them so far
  std::map<int64_t, Key> keys_;
  std::map<std::string, Endorsed> endorsements_;  // by endorsement_sha256 (canonical)
  std::set<std::string> nonces_;
};

}  // namespace

VerifyReport VerifyBundle(const Bundle& bundle, const VerifyOptions& options) {
  VerifyReport report;
  Verifier(bundle, options, report).Run();
  return report;
}

}  // namespace accord::signon
