// The browser's Merkle and signed-note code against the server's (server/signon through
// `accord-signon-tool`): roots and inclusion proofs of random logs computed by both, proofs made
// by the server verified here, and checkpoints signed by the server with random keys opened
// here — the checks the public page's "Verify" relies on. Needs the tool: $ACCORD_BIN_DIR, else
// <repo>/build-asan/bin, as canonical-json-server.test.ts does.
import { describe, it, expect, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { inclusionProof, leafHash, rootOf, verifyInclusion } from './merkle'
import { openCheckpoint, parseVerifierKey } from './signed-note'
import { toHex } from './key-backup'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const tool = path.join(process.env.ACCORD_BIN_DIR || path.join(repo, 'build-asan/bin'), 'accord-signon-tool')

function run (args: string[], input = ''): string {
  const r = spawnSync(tool, args, { input, encoding: 'utf8', maxBuffer: 1 << 26 })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`accord-signon-tool ${args[0]}: ${r.stderr}`)
  return r.stdout
}
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'))

describe('the browser agrees with server/signon', () => {
  beforeAll(() => {
    if (!existsSync(tool)) throw new Error(`${tool} does not exist: build it or set ACCORD_BIN_DIR`)
  })

  it('roots and inclusion proofs of random logs', async () => {
    for (const n of [1, 2, 3, 5, 8, 13, 21, 33]) {
      const entries = Array.from({ length: n }, () => randomBytes(1 + Math.floor(Math.random() * 40)))
      const server = JSON.parse(run(['merkle'], entries.map(e => e.toString('hex')).join('\n') + '\n'))
      const leaves = await Promise.all(entries.map(e => leafHash(new Uint8Array(e))))
      const root = await rootOf(leaves)
      expect(toHex(root), `size ${n}`).toBe(server.root)
      for (let i = 0; i < n; i++) {
        expect((await inclusionProof(leaves, i)).map(toHex), `${i} of ${n}`).toEqual(server.inclusion[i])
        expect(await verifyInclusion(i, n, leaves[i], server.inclusion[i].map(fromHex), root)).toBe(true)
      }
    }
  })

  it('checkpoints signed by the server open here, and only with their key', async () => {
    for (let k = 0; k < 4; k++) {
      const [verifier, signer] = run(['note-keys', `accord.test/log${k}`, randomBytes(32).toString('hex')]).trim().split('\n')
      const root = randomBytes(32)
      const note = run(['checkpoint-sign', signer, String(1000 + k), root.toString('hex'), `Timestamp: ${1796000000 + k}`])
      const v = await parseVerifierKey(verifier)
      const cp = await openCheckpoint(note, v)
      expect(cp.origin).toBe(`accord.test/log${k}`)
      expect(cp.size).toBe(1000 + k)
      expect(toHex(cp.root)).toBe(root.toString('hex'))
      expect(cp.extensions).toEqual([`Timestamp: ${1796000000 + k}`])
      const [other] = run(['note-keys', `accord.test/log${k}`, randomBytes(32).toString('hex')]).trim().split('\n')
      await expect(openCheckpoint(note, await parseVerifierKey(other))).rejects.toMatchObject({ code: 'no-signature' })
    }
  })
})
