// The transparency log's Merkle tree (RFC 9162 section 2.1, = RFC 6962) in the browser, with
// WebCrypto SHA-256: leaf and node hashes, the root of a list of leaf hashes, inclusion proofs
// (made and verified) — what the public page's "Verify" needs to check a bundle without
// trusting the server (server/signon/LOG.md describes the formats; merkle.h is the C++ side).
//
//   leaf hash = SHA-256(0x00 || entry bytes)      node hash = SHA-256(0x01 || left || right)
//   MTH({}) = SHA-256("")    MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])), k = largest 2^i < n
//
// Everything is async because WebCrypto's digest is; hashes are 32-byte Uint8Arrays.
import { buf } from './key-backup'

export async function sha256 (bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', buf(bytes)))
}

export async function leafHash (entry: Uint8Array): Promise<Uint8Array> {
  const b = new Uint8Array(entry.length + 1)
  b[0] = 0x00
  b.set(entry, 1)
  return sha256(b)
}

export async function nodeHash (left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const b = new Uint8Array(1 + left.length + right.length)
  b[0] = 0x01
  b.set(left, 1)
  b.set(right, 1 + left.length)
  return sha256(b)
}

export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** The largest power of two strictly below n (n >= 2). */
function split (n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** MTH of the leaves [lo, hi) (recursion depth is log2 of the size). */
async function subtreeRoot (leaves: readonly Uint8Array[], lo: number, hi: number): Promise<Uint8Array> {
  const n = hi - lo
  if (n === 0) return sha256(new Uint8Array(0))
  if (n === 1) return leaves[lo]
  const k = split(n)
  return nodeHash(await subtreeRoot(leaves, lo, lo + k), await subtreeRoot(leaves, lo + k, hi))
}

/** The root of a tree whose leaf hashes are `leaves` (index order); the first `size` of them if given. */
export function rootOf (leaves: readonly Uint8Array[], size = leaves.length): Promise<Uint8Array> {
  if (!Number.isInteger(size) || size < 0 || size > leaves.length) throw new RangeError(`no tree of size ${size} in ${leaves.length} leaves`)
  return subtreeRoot(leaves, 0, size)
}

/** PATH(index, D[n]): the inclusion proof of one leaf, sibling hashes from the leaf up. */
export async function inclusionProof (leaves: readonly Uint8Array[], index: number, size = leaves.length): Promise<Uint8Array[]> {
  if (!(index >= 0 && index < size && size <= leaves.length)) throw new RangeError(`no leaf ${index} in a tree of ${size}`)
  const path = async (m: number, lo: number, hi: number): Promise<Uint8Array[]> => {
    const n = hi - lo
    if (n === 1) return []
    const k = split(n)
    if (m < k) return [...await path(m, lo, lo + k), await subtreeRoot(leaves, lo + k, hi)]
    return [...await path(m - k, lo + k, hi), await subtreeRoot(leaves, lo, lo + k)]
  }
  return path(index, 0, size)
}

/**
 * Whether `proof` proves the leaf hash at `index` in the tree of `size` leaves with `root`:
 * the iterative algorithm of RFC 9162 section 2.1.3.2. A proof of the wrong length, a wrong
 * index or size, or any changed hash fails.
 */
export async function verifyInclusion (index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false
  // Bit operations on numbers are 32-bit in JS: use plain arithmetic, valid up to 2^53.
  let fn = index
  let sn = size - 1
  let r = leaf
  const odd = (x: number) => x % 2 === 1
  for (const p of proof) {
    if (p.length !== 32) return false
    if (sn === 0) return false
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r)
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2) }
      }
    } else {
      r = await nodeHash(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && equalBytes(r, root)
}
