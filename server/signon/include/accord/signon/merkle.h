// accord/signon/merkle.h: the Merkle tree of RFC 9162 section 2.1 (as in RFC 6962) over
// SHA-256 — the hash of a transparency log, its inclusion proofs and its consistency proofs.
//
//   leaf hash  = SHA-256(0x00 || entry)
//   node hash  = SHA-256(0x01 || left || right)
//   MTH({})    = SHA-256("")      MTH of n > 1 leaves splits at the largest power of two < n.
//
// Proof generation takes all leaf hashes of the tree in order (the storage layer may later
// compute subtree hashes from stored nodes instead; the proofs are the same). Work is O(n) per
// proof and recursion depth is O(log n), so 2^32 leaves are fine. Verification follows the
// iterative algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2 and needs only the proof.
//
// Pure functions of their input; safe from any thread.
#ifndef ACCORD_SIGNON_MERKLE_H_
#define ACCORD_SIGNON_MERKLE_H_

#include <array>
#include <cstdint>
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

}  // namespace accord::signon

#endif  // ACCORD_SIGNON_MERKLE_H_
