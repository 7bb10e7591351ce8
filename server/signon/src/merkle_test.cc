#include "accord/signon/merkle.h"

#include <gtest/gtest.h>

#include <bit>
#include <string>
#include <vector>

#include "utf8.h"

namespace accord::signon {
namespace {

std::string Hex(const Hash& h) {
  return HexEncode({reinterpret_cast<const char*>(h.data()), h.size()});
}

std::vector<std::string> Hexes(const std::vector<Hash>& hashes) {
  std::vector<std::string> out;
  for (const Hash& h : hashes) out.push_back(Hex(h));
  return out;
}

// The eight leaves of the Certificate Transparency reference tree (RFC 6962 test data).
std::vector<Hash> ReferenceLeaves() {
  std::vector<Hash> leaves;
  for (std::string_view hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                               "606162636465666768696a6b6c6d6e6f"}) {
    leaves.push_back(HashLeaf(*HexDecode(hex)));
  }
  return leaves;
}

std::vector<Hash> Leaves(int n) {
  std::vector<Hash> leaves;
  for (int i = 0; i < n; ++i) leaves.push_back(HashLeaf("entry " + std::to_string(i)));
  return leaves;
}

// The hashes written out from their definition, independently of HashLeaf/HashChildren.
TEST(Merkle, HashesAreDomainSeparatedSha256) {
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HashLeaf("abc"), Sha256(std::string("\x00", 1) + "abc"));
  Hash a = Sha256("a"), b = Sha256("b");
  std::string node = "\x01";
  node.append(reinterpret_cast<const char*>(a.data()), 32);
  node.append(reinterpret_cast<const char*>(b.data()), 32);
  EXPECT_EQ(HashChildren(a, b), Sha256(node));
  EXPECT_NE(HashChildren(a, b), HashChildren(b, a));
}

TEST(Merkle, SmallTreesByHand) {
  std::vector<Hash> l = Leaves(5);
  EXPECT_EQ(RootFromLeafHashes({}), Sha256(""));
  EXPECT_EQ(RootFromLeafHashes(std::span(l).first(1)), l[0]);
  EXPECT_EQ(RootFromLeafHashes(std::span(l).first(2)), HashChildren(l[0], l[1]));
  // Three leaves split 2 + 1; five split 4 + 1.
  Hash ab = HashChildren(l[0], l[1]), cd = HashChildren(l[2], l[3]);
  EXPECT_EQ(RootFromLeafHashes(std::span(l).first(3)), HashChildren(ab, l[2]));
  EXPECT_EQ(RootFromLeafHashes(std::span(l).first(4)), HashChildren(ab, cd));
  EXPECT_EQ(RootFromLeafHashes(l), HashChildren(HashChildren(ab, cd), l[4]));
  // Inclusion of leaf 2 in the tree of 5: its sibling, the left half's other pair, the 5th leaf.
  auto proof = InclusionProof(l, 2);
  ASSERT_TRUE(proof.ok());
  EXPECT_EQ(proof.value(), (std::vector<Hash>{l[3], ab, l[4]}));
  EXPECT_EQ(InclusionProof(l, 4).value(), (std::vector<Hash>{HashChildren(ab, cd)}));
  // Consistency of 3 with 5: the old tree is ab + c; the proof gives c, d, ab and the 5th leaf.
  EXPECT_EQ(ConsistencyProof(l, 3).value(), (std::vector<Hash>{l[2], l[3], ab, l[4]}));
  // Consistency of 4 with 5: the old root is a whole subtree, so only the 5th leaf is needed.
  EXPECT_EQ(ConsistencyProof(l, 4).value(), (std::vector<Hash>{l[4]}));
}

TEST(Merkle, Rfc6962ReferenceRoots) {
  std::vector<Hash> l = ReferenceLeaves();
  const char* roots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  for (size_t n = 1; n <= 8; ++n) {
    EXPECT_EQ(Hex(RootFromLeafHashes(std::span(l).first(n))), roots[n - 1]) << n;
  }
}

TEST(Merkle, Rfc6962ReferenceProofs) {
  std::vector<Hash> l = ReferenceLeaves();
  EXPECT_EQ(Hexes(InclusionProof(l, 0).value()),
            (std::vector<std::string>{
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  EXPECT_EQ(Hexes(InclusionProof(l, 5).value()),
            (std::vector<std::string>{
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  EXPECT_EQ(Hexes(InclusionProof(std::span(l).first(3), 2).value()),
            (std::vector<std::string>{
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}));
  EXPECT_EQ(Hexes(ConsistencyProof(l, 1).value()),
            (std::vector<std::string>{
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  EXPECT_EQ(Hexes(ConsistencyProof(l, 6).value()),
            (std::vector<std::string>{
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  EXPECT_EQ(Hexes(ConsistencyProof(std::span(l).first(5), 2).value()),
            (std::vector<std::string>{
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
}

// Every proof of every tree up to 64 leaves verifies, and every single change to it — a flipped
// bit in any hash, a wrong index, size or root, a hash dropped or added — is refused.
TEST(Merkle, EveryInclusionProofVerifiesAndTamperingFails) {
  constexpr int kMax = 64;
  std::vector<Hash> all = Leaves(kMax + 1);
  for (uint64_t n = 1; n <= kMax; ++n) {
    auto leaves = std::span(all).first(n);
    Hash root = RootFromLeafHashes(leaves);
    Hash bad_root = root;
    bad_root[31] ^= 1;
    for (uint64_t i = 0; i < n; ++i) {
      auto proof_or = InclusionProof(leaves, i);
      ASSERT_TRUE(proof_or.ok());
      std::vector<Hash> proof = proof_or.value();
      ASSERT_TRUE(VerifyInclusion(leaves[i], i, n, proof, root).ok()) << i << "/" << n;
      EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, proof, bad_root).ok());
      EXPECT_FALSE(VerifyInclusion(all[n], i, n, proof, root).ok());  // another leaf
      if (i + 1 < n) {
        EXPECT_FALSE(VerifyInclusion(leaves[i], i + 1, n, proof, root).ok());
      }
      if (i > 0) {
        EXPECT_FALSE(VerifyInclusion(leaves[i], i - 1, n, proof, root).ok());
      }
      // The root does not commit to the size (the signed checkpoint does): a neighbouring size
      // whose path to leaf i has the same shape accepts the same proof; any other shape fails.
      for (uint64_t other : {n - 1, n + 1}) {
        if (other <= i) continue;
        bool same_shape =
            InclusionProof(std::span(all).first(other), i).value().size() == proof.size();
        if (!same_shape) {
          EXPECT_FALSE(VerifyInclusion(leaves[i], i, other, proof, root).ok())
              << i << " in " << n << " claimed in " << other;
        }
      }
      EXPECT_FALSE(VerifyInclusion(leaves[i], n, n, proof, root).ok());
      for (size_t k = 0; k < proof.size(); ++k) {
        std::vector<Hash> bad = proof;
        bad[k][k % 32] ^= 0x80;
        EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, bad, root).ok());
      }
      if (!proof.empty()) {
        std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
        EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, shorter, root).ok());
      }
      std::vector<Hash> longer = proof;
      longer.push_back(root);
      EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, longer, root).ok());
    }
    EXPECT_EQ(InclusionProof(leaves, n).status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(Merkle, EveryConsistencyProofVerifiesAndTamperingFails) {
  constexpr int kMax = 64;
  std::vector<Hash> all = Leaves(kMax);
  std::vector<Hash> roots;
  for (uint64_t n = 0; n <= kMax; ++n) roots.push_back(RootFromLeafHashes(std::span(all).first(n)));
  for (uint64_t n = 0; n <= kMax; ++n) {
    auto leaves = std::span(all).first(n);
    for (uint64_t m = 0; m <= n; ++m) {
      auto proof_or = ConsistencyProof(leaves, m);
      ASSERT_TRUE(proof_or.ok());
      std::vector<Hash> proof = proof_or.value();
      ASSERT_TRUE(VerifyConsistency(m, n, roots[m], roots[n], proof).ok()) << m << "->" << n;
      if (m == 0) continue;  // the empty tree is a prefix of every tree: nothing to tamper
      Hash bad_old = roots[m], bad_new = roots[n];
      bad_old[0] ^= 1;
      bad_new[0] ^= 1;
      EXPECT_FALSE(VerifyConsistency(m, n, bad_old, roots[n], proof).ok()) << m << "->" << n;
      EXPECT_FALSE(VerifyConsistency(m, n, roots[m], bad_new, proof).ok()) << m << "->" << n;
      if (m == n) {
        EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], {&roots[0], 1}).ok());
        continue;
      }
      // Another size with the same proof and roots.
      EXPECT_FALSE(VerifyConsistency(m - 1, n, roots[m], roots[n], proof).ok());
      if (m + 1 < n) {
        EXPECT_FALSE(VerifyConsistency(m + 1, n, roots[m], roots[n], proof).ok());
      }
      // As with inclusion, the new root does not commit to the new size: only a neighbouring
      // size whose proof has the same shape may accept it.
      for (uint64_t other : {n - 1, n + 1}) {
        if (other <= m || other > kMax) continue;
        if (ConsistencyProof(std::span(all).first(other), m).value().size() != proof.size()) {
          EXPECT_FALSE(VerifyConsistency(m, other, roots[m], roots[n], proof).ok())
              << m << "->" << n << " claimed for " << other;
        }
      }
      for (size_t k = 0; k < proof.size(); ++k) {
        std::vector<Hash> bad = proof;
        bad[k][k % 32] ^= 0x80;
        EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], bad).ok()) << m << "->" << n;
      }
      std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
      EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], shorter).ok());
      std::vector<Hash> longer = proof;
      longer.push_back(roots[n]);
      EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], longer).ok());
    }
  }
  EXPECT_EQ(ConsistencyProof(std::span(all).first(3), 4).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(4, 3, roots[4], roots[3], {}).code(), Status::Code::kInvalidArgument);
}

// Trees far larger than any test builds still take O(log n) steps and no deep recursion: a
// proof for the last leaf of a 2^40-leaf tree is 40 hashes, checked without the leaves.
TEST(Merkle, VerificationNeedsOnlyTheProofForHugeTrees) {
  const uint64_t n = uint64_t{1} << 40;
  std::vector<Hash> proof(40);
  for (size_t k = 0; k < proof.size(); ++k) proof[k] = Sha256(std::to_string(k));
  Hash r = HashLeaf("last");
  for (const Hash& p : proof) r = HashChildren(p, r);  // the last leaf is a right child always
  EXPECT_TRUE(VerifyInclusion(HashLeaf("last"), n - 1, n, proof, r).ok());
  EXPECT_FALSE(VerifyInclusion(HashLeaf("last"), n - 2, n, proof, r).ok());
}

// Proofs from a subtree-hash source are the proofs from the leaves, and the source is only
// asked for aligned ranges — complete subtrees or a ragged right edge — as merkle.h promises.
TEST(Merkle, ProofsFromSubtreeHashesMatchAndAskOnlyAlignedRanges) {
  constexpr int kMax = 40;
  std::vector<Hash> all = Leaves(kMax);
  for (uint64_t n = 1; n <= kMax; ++n) {
    auto leaves = std::span(all).first(n);
    int calls = 0;
    SubtreeHashFn source = [&](uint64_t begin, uint64_t end) {
      ++calls;
      EXPECT_LT(begin, end);
      EXPECT_LE(end, n);
      EXPECT_EQ(begin % std::bit_ceil(end - begin), 0u) << begin << ".." << end;
      return RootFromLeafHashes(leaves.subspan(begin, end - begin));
    };
    for (uint64_t i = 0; i < n; ++i) {
      calls = 0;
      auto proof = InclusionProof(i, n, source);
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(proof.value(), InclusionProof(leaves, i).value());
      EXPECT_EQ(calls, static_cast<int>(proof.value().size()));  // one lookup per proof hash
    }
    for (uint64_t m = 0; m <= n; ++m) {
      auto proof = ConsistencyProof(m, n, source);
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(proof.value(), ConsistencyProof(leaves, m).value());
    }
    EXPECT_FALSE(InclusionProof(n, n, source).ok());
    EXPECT_FALSE(ConsistencyProof(n + 1, n, source).ok());
  }
}

TEST(Merkle, FrontierTracksTheRootWithoutLeaves) {
  std::vector<Hash> all = Leaves(300);
  MerkleFrontier f;
  EXPECT_EQ(f.Root(), Sha256(""));
  for (uint64_t n = 1; n <= all.size(); ++n) {
    f.Append(all[n - 1]);
    ASSERT_EQ(f.size(), n);
    EXPECT_EQ(f.hashes().size(), static_cast<size_t>(std::popcount(n)));
    ASSERT_EQ(f.Root(), RootFromLeafHashes(std::span(all).first(n))) << n;
  }
  // Saved and restored, it carries on as if never interrupted.
  auto restored = MerkleFrontier::Restore(f.size(), f.hashes());
  ASSERT_TRUE(restored.ok());
  MerkleFrontier g = restored.value();
  g.Append(HashLeaf("next"));
  std::vector<Hash> more = all;
  more.push_back(HashLeaf("next"));
  EXPECT_EQ(g.Root(), RootFromLeafHashes(more));
  EXPECT_EQ(MerkleFrontier::Restore(7, {Sha256("a")}).status().code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace accord::signon
