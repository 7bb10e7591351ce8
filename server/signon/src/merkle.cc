#include "accord/signon/merkle.h"

#include <sodium.h>

#include <bit>
#include <string>

namespace accord::signon {
namespace {

// The largest power of two strictly less than n (n >= 2): where RFC 9162 splits a tree.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

// MTH over leaf_hashes[begin, end), end > begin.
Hash Subtree(std::span<const Hash> leaves, uint64_t begin, uint64_t end) {
  if (end - begin == 1) return leaves[begin];
  uint64_t k = SplitPoint(end - begin);
  return HashChildren(Subtree(leaves, begin, begin + k), Subtree(leaves, begin + k, end));
}

// PATH(m, D[begin:end]) appended to out, leaf end first.
void Path(const SubtreeHashFn& subtree, uint64_t m, uint64_t begin, uint64_t end,
          std::vector<Hash>& out) {
  if (end - begin <= 1) return;
  uint64_t k = SplitPoint(end - begin);
  if (m < k) {
    Path(subtree, m, begin, begin + k, out);
    out.push_back(subtree(begin + k, end));
  } else {
    Path(subtree, m - k, begin + k, end, out);
    out.push_back(subtree(begin, begin + k));
  }
}

// SUBPROOF(m, D[begin:end], whole) appended to out. `whole` says the old tree's root is this very
// subtree, so the verifier already knows its hash.
void Subproof(const SubtreeHashFn& subtree, uint64_t m, uint64_t begin, uint64_t end, bool whole,
              std::vector<Hash>& out) {
  if (m == end - begin) {
    if (!whole) out.push_back(subtree(begin, end));
    return;
  }
  uint64_t k = SplitPoint(end - begin);
  if (m <= k) {
    Subproof(subtree, m, begin, begin + k, whole, out);
    out.push_back(subtree(begin + k, end));
  } else {
    Subproof(subtree, m - k, begin + k, end, false, out);
    out.push_back(subtree(begin, begin + k));
  }
}

SubtreeHashFn FromLeaves(std::span<const Hash> leaves) {
  return [leaves](uint64_t begin, uint64_t end) { return Subtree(leaves, begin, end); };
}

Hash Sha256Parts(std::initializer_list<std::string_view> parts) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (std::string_view p : parts) {
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(p.data()), p.size());
  }
  Hash h;
  crypto_hash_sha256_final(&st, h.data());
  return h;
}

std::string_view View(const Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

}  // namespace

Hash Sha256(std::string_view bytes) { return Sha256Parts({bytes}); }

Hash HashLeaf(std::string_view entry) { return Sha256Parts({std::string_view("\0", 1), entry}); }

Hash HashChildren(const Hash& left, const Hash& right) {
  return Sha256Parts({"\x01", View(left), View(right)});
}

Hash RootFromLeafHashes(std::span<const Hash> leaf_hashes) {
  if (leaf_hashes.empty()) return Sha256("");
  return Subtree(leaf_hashes, 0, leaf_hashes.size());
}

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t tree_size,
                                         const SubtreeHashFn& subtree) {
  if (index >= tree_size) {
    return Status::InvalidArgument("leaf index " + std::to_string(index) + " is not in a tree of " +
                                   std::to_string(tree_size));
  }
  std::vector<Hash> proof;
  Path(subtree, index, 0, tree_size, proof);
  return proof;
}

Result<std::vector<Hash>> InclusionProof(std::span<const Hash> leaf_hashes, uint64_t index) {
  return InclusionProof(index, leaf_hashes.size(), FromLeaves(leaf_hashes));
}

Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                       std::span<const Hash> proof, const Hash& root) {
  if (index >= tree_size) {
    return Status::Corruption("inclusion proof: leaf index " + std::to_string(index) +
                              " is not in a tree of " + std::to_string(tree_size));
  }
  // fn walks the leaf's path up the tree and sn the tree's last node; where fn is a right child
  // or the last node of its level, the proof hash is its left sibling.
  uint64_t fn = index, sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return Status::Corruption("inclusion proof is too long");
    if ((fn & 1) || fn == sn) {
      r = HashChildren(p, r);
      while (!(fn & 1) && fn != 0) fn >>= 1, sn >>= 1;
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1, sn >>= 1;
  }
  if (sn != 0) return Status::Corruption("inclusion proof is too short");
  if (r != root) return Status::Corruption("inclusion proof does not lead to the root");
  return Status::Ok();
}

Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t tree_size,
                                           const SubtreeHashFn& subtree) {
  if (old_size > tree_size) {
    return Status::InvalidArgument("old tree size " + std::to_string(old_size) +
                                   " exceeds the tree size " + std::to_string(tree_size));
  }
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == tree_size) return proof;
  Subproof(subtree, old_size, 0, tree_size, true, proof);
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(std::span<const Hash> leaf_hashes, uint64_t old_size) {
  return ConsistencyProof(old_size, leaf_hashes.size(), FromLeaves(leaf_hashes));
}

Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) {
    return Status::InvalidArgument("consistency proof: old size " + std::to_string(old_size) +
                                   " exceeds new size " + std::to_string(new_size));
  }
  if (old_size == 0 || old_size == new_size) {
    if (!proof.empty()) return Status::Corruption("consistency proof should be empty");
    if (old_size == new_size && old_root != new_root) {
      return Status::Corruption("trees of equal size have different roots");
    }
    return Status::Ok();
  }
  if (proof.empty()) return Status::Corruption("consistency proof is empty");
  // When the old tree is a complete subtree its root starts the path (RFC 9162 step 2).
  std::vector<Hash> path;
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) fn >>= 1, sn >>= 1;
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return Status::Corruption("consistency proof is too long");
    if ((fn & 1) || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      while (!(fn & 1) && fn != 0) fn >>= 1, sn >>= 1;
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1, sn >>= 1;
  }
  if (sn != 0) return Status::Corruption("consistency proof is too short");
  if (fr != old_root) return Status::Corruption("consistency proof does not lead to the old root");
  if (sr != new_root) return Status::Corruption("consistency proof does not lead to the new root");
  return Status::Ok();
}

Result<MerkleFrontier> MerkleFrontier::Restore(uint64_t size, std::vector<Hash> hashes) {
  if (hashes.size() != static_cast<size_t>(std::popcount(size))) {
    return Status::InvalidArgument("a Merkle frontier of size " + std::to_string(size) + " has " +
                                   std::to_string(std::popcount(size)) + " hashes, not " +
                                   std::to_string(hashes.size()));
  }
  MerkleFrontier f;
  f.size_ = size;
  f.hashes_ = std::move(hashes);
  return f;
}

void MerkleFrontier::Append(const Hash& leaf_hash) {
  // Like binary increment: each trailing 1 bit of the size is a complete subtree of the same
  // size as the carry, merged into it.
  Hash carry = leaf_hash;
  for (uint64_t s = size_; s & 1; s >>= 1) {
    carry = HashChildren(hashes_.back(), carry);
    hashes_.pop_back();
  }
  hashes_.push_back(carry);
  ++size_;
}

Hash MerkleFrontier::Root() const {
  if (hashes_.empty()) return Sha256("");
  // RFC 9162 splits at the largest power of two, so the right edge folds from the smallest.
  Hash r = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) r = HashChildren(hashes_[i], r);
  return r;
}

}  // namespace accord::signon
