// accord/signon/merkle.h: the Merkle tree of RFC 9162 section 2.1 (as in RFC 6962) over
// SHA-256 — the hash of a transparency log, its inclusion proofs and its consistency proofs.
//
//   leaf hash  = SHA-256(0x00 || entry)
//   node hash  = SHA-256(0x01 || left || right)
//   MTH({})    = SHA-256("")      MTH of n > 1 leaves splits at the largest power of two < n.
//
// Proofs are generated either from all leaf hashes of the tree (O(n) work per proof) or from a
// source of subtree hashes (O(log n) lookups: what a log with stored nodes uses); recursion
// depth is O(log n) either way, so 2^32 leaves are fine. MerkleFrontier keeps a growing tree's
// root without its leaves. Verification follows the
// iterative algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2 and needs only the proof.
//
// The functions are pure and safe from any thread; see MerkleFrontier for its own rule.
#ifndef ACCORD_SIGNON_MERKLE_H_
#define ACCORD_SIGNON_MERKLE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "accord/status.h"

namespace accord::signon {

using Hash = std::array<unsigned char, 32>;

Hash Sha256(std::string_view bytes);
Hash HashLeaf(std::string_view entry);
Hash HashChildren(const Hash& left, const Hash& right);

// MTH(D[n]) of the leaves whose leaf hashes are given (empty: SHA-256 of the empty string).
Hash RootFromLeafHashes(std::span<const Hash> leaf_hashes);

// PATH(index, D[n]) with n = leaf_hashes.size(): the sibling hashes from the leaf up.
// kInvalidArgument unless index < n.
Result<std::vector<Hash>> InclusionProof(std::span<const Hash> leaf_hashes, uint64_t index);

// The same proofs from a source of subtree hashes instead of all leaves, so a log can serve them
// from stored nodes in O(log n) lookups. `subtree(begin, end)` must return MTH of leaves
// [begin, end); it is only asked for ranges whose begin is a multiple of std::bit_ceil(end -
// begin) — complete, aligned subtrees, or the ragged right edge of one.
using SubtreeHashFn = std::function<Hash(uint64_t begin, uint64_t end)>;
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t tree_size,
                                         const SubtreeHashFn& subtree);
Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t tree_size,
                                           const SubtreeHashFn& subtree);

// OK if `proof` shows the leaf with hash `leaf_hash` at `index` in the tree of `tree_size`
// leaves with root `root`; kCorruption (naming what failed) otherwise, also for index >= size.
Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                       std::span<const Hash> proof, const Hash& root);

// PROOF(old_size, D[n]) with n = leaf_hashes.size(): the hashes that show the tree of the first
// old_size leaves is a prefix of this one. Empty when old_size is 0 or n (nothing to prove).
// kInvalidArgument if old_size > n.
Result<std::vector<Hash>> ConsistencyProof(std::span<const Hash> leaf_hashes, uint64_t old_size);

// OK if `proof` shows the tree of old_size leaves with root old_root is a prefix of the tree of
// new_size leaves with root new_root. An old size of 0 is consistent with anything (proof must
// be empty); equal sizes need an empty proof and equal roots. kCorruption otherwise
// (kInvalidArgument if old_size > new_size).
Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof);

// The right edge of a growing tree: the roots of its complete subtrees, one per set bit of the
// size, largest first. Appending is O(log n) amortized and the root is O(log n), without the
// earlier leaves — what a log writer keeps (and may persist) to sign the next checkpoint.
// Not thread-safe for concurrent mutation; const use from many threads is fine.
class MerkleFrontier {
 public:
  MerkleFrontier() = default;
  // Restores a frontier saved from size() and hashes(); kInvalidArgument if the number of
  // hashes is not the number of set bits of size.
  static Result<MerkleFrontier> Restore(uint64_t size, std::vector<Hash> hashes);

  void Append(const Hash& leaf_hash);
  uint64_t size() const { return size_; }
  const std::vector<Hash>& hashes() const { return hashes_; }
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

}  // namespace accord::signon

#endif  // ACCORD_SIGNON_MERKLE_H_
