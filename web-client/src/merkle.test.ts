// The browser's Merkle code against the RFC 6962 reference tree (the Certificate Transparency
// test data, as in server/signon/src/merkle_test.cc), the worked example of server/signon/LOG.md
// and exhaustive tampering of every proof of small trees.
import { describe, it, expect } from 'vitest'
import { createHash } from 'node:crypto'
import { inclusionProof, leafHash, nodeHash, rootOf, sha256, verifyInclusion } from './merkle'
import { canonicalJsonBytes } from './canonical-json'
import { toHex } from './key-backup'

const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'))
const nodeSha = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest())

async function referenceLeaves (): Promise<Uint8Array[]> {
  const data = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
  return Promise.all(data.map(h => leafHash(fromHex(h))))
}

describe('merkle', () => {
  it('hashes are domain-separated SHA-256 (checked with node:crypto)', async () => {
    const e = new TextEncoder().encode('abc')
    expect(await leafHash(e)).toEqual(nodeSha(new Uint8Array([0]), e))
    const a = await sha256(new TextEncoder().encode('a'))
    const b = await sha256(new TextEncoder().encode('b'))
    expect(await nodeHash(a, b)).toEqual(nodeSha(new Uint8Array([1]), a, b))
    expect(toHex(await rootOf([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })

  it('RFC 6962 reference roots and proofs', async () => {
    const l = await referenceLeaves()
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'
    ]
    for (let n = 1; n <= 8; n++) expect(toHex(await rootOf(l, n)), `size ${n}`).toBe(roots[n - 1])
    expect((await inclusionProof(l, 0)).map(toHex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'])
    expect((await inclusionProof(l, 5)).map(toHex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'])
    expect((await inclusionProof(l, 2, 3)).map(toHex)).toEqual(['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'])
  })

  it('the example of LOG.md: root, the proof of entry 2 and the third leaf', async () => {
    const entries = [{ kind: 'final', n: 1 }, { kind: 'endorsement', n: 2 }, { kind: 'endorsement', n: 3 }]
    const l = await Promise.all(entries.map(e => leafHash(canonicalJsonBytes(e))))
    const root = await rootOf(l)
    const hex = toHex(root)
    expect(hex.startsWith('011803fc') && hex.endsWith('a828')).toBe(true)
    // The checkpoint of the example carries the whole root in base64.
    expect(Buffer.from(root).toString('base64')).toBe('ARgD/LkhdUGV5swMybkgqpNdq1immIie1iqqL4/OqCg=')
    const proof = await inclusionProof(l, 2)
    expect(proof.length).toBe(1)
    expect(toHex(proof[0]).startsWith('3fee1d67') && toHex(proof[0]).endsWith('525e')).toBe(true)
    expect(toHex(l[2]).startsWith('690b25a4') && toHex(l[2]).endsWith('979f')).toBe(true)
    expect(await verifyInclusion(2, 3, l[2], proof, root)).toBe(true)
  })

  it('every inclusion proof of trees up to 17 leaves verifies, and every change to it fails', async () => {
    const all = await Promise.all(Array.from({ length: 17 }, (_, i) => leafHash(new TextEncoder().encode(`entry ${i}`))))
    for (let n = 1; n <= 17; n++) {
      const root = await rootOf(all, n)
      const badRoot = root.slice(); badRoot[31] ^= 1
      for (let i = 0; i < n; i++) {
        const proof = await inclusionProof(all, i, n)
        expect(await verifyInclusion(i, n, all[i], proof, root), `${i} in ${n}`).toBe(true)
        expect(await verifyInclusion(i, n, all[i], proof, badRoot)).toBe(false)
        expect(await verifyInclusion(i, n, all[(i + 1) % 17], proof, root)).toBe(false)
        if (n > 1) expect(await verifyInclusion((i + 1) % n, n, all[i], proof, root)).toBe(false)
        expect(await verifyInclusion(i, n, all[i], [...proof, root], root)).toBe(false)
        if (proof.length) expect(await verifyInclusion(i, n, all[i], proof.slice(0, -1), root)).toBe(false)
        for (let k = 0; k < proof.length; k++) {
          const bad = proof.map(p => p.slice()); bad[k][0] ^= 0x80
          expect(await verifyInclusion(i, n, all[i], bad, root)).toBe(false)
        }
      }
      expect(await verifyInclusion(n, n, all[0], [], root)).toBe(false)
      expect(await verifyInclusion(-1, n, all[0], [], root)).toBe(false)
    }
  })
})
