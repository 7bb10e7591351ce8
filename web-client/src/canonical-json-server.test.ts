// The browser's canonical JSON must be byte-for-byte the server's, or signatures made in the
// browser would not verify there. This compares canonicalJson with the C++ implementation
// (server/signon canonical_json.h, through `accord-signon-tool jcs`) on generated values full of
// the hard cases: non-BMP and control characters in names and strings, doubles from random bit
// patterns, deep nesting. Needs the tool: $ACCORD_BIN_DIR, else <repo>/build-asan/bin (make
// test builds it), as canonical-samples.test.ts needs `accord`.
import { describe, it, expect, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { canonicalJson } from './canonical-json'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const tool = path.join(process.env.ACCORD_BIN_DIR || path.join(repo, 'build-asan/bin'), 'accord-signon-tool')

function serverJcs (text: string): { ok: boolean, out: string } {
  const r = spawnSync(tool, ['jcs'], { input: text, encoding: 'utf8', maxBuffer: 1 << 26 })
  if (r.error) throw r.error
  return { ok: r.status === 0, out: r.stdout }
}

// A small deterministic generator (mulberry32), so a failure can be reproduced from its seed.
function rng (seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const PIECES = ['a', 'Z', '1', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u0080', 'é', 'e\u0301',
  '\u2028', '€', '\ufb33', '\uffff', '😀', '\ud834\udd1e', '\u{10ffff}', 'ñ', '中']

function generate (next: () => number) {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]
  const str = () => Array.from({ length: Math.floor(next() * 6) }, () => pick(PIECES)).join('')
  const num = () => {
    const kind = next()
    if (kind < 0.3) return Math.floor(next() * 2 ** 53) * (next() < 0.5 ? -1 : 1)
    if (kind < 0.5) return (next() - 0.5) * 10 ** Math.floor(next() * 60 - 30)
    // Any finite double, from random bits (subnormals and the extremes included).
    for (;;) {
      const v = new DataView(new ArrayBuffer(8))
      v.setUint32(0, Math.floor(next() * 2 ** 32))
      v.setUint32(4, Math.floor(next() * 2 ** 32))
      const d = v.getFloat64(0)
      if (Number.isFinite(d)) return d
    }
  }
  const value = (depth: number): unknown => {
    const k = next()
    if (depth > 4 || k < 0.35) return pick([null, true, false, 0, -0, str(), num(), num(), str()])
    if (k < 0.6) return Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1))
    const o: Record<string, unknown> = {}
    for (let i = Math.floor(next() * 6); i > 0; i--) o[str()] = value(depth + 1)
    return o
  }
  return value(0)
}

describe('canonicalJson agrees with the server (accord-signon-tool jcs)', () => {
  beforeAll(() => {
    if (!existsSync(tool)) throw new Error(`${tool} does not exist: build it or set ACCORD_BIN_DIR`)
  })

  it('on 400 generated values, given to the server unsorted and indented', () => {
    const values = Array.from({ length: 400 }, (_, i) => generate(rng(i + 1)))
    // One run of the tool for all of them: the canonical form of an array is its items' forms.
    const server = serverJcs(JSON.stringify(values, null, 2))
    expect(server.ok).toBe(true)
    const mine = values.map(v => canonicalJson(v))
    expect('[' + mine.join(',') + ']').toBe(server.out)
    // And each one alone, for the first few (a mismatch above is easier to read here).
    for (const v of values.slice(0, 20)) expect(canonicalJson(v)).toBe(serverJcs(JSON.stringify(v)).out)
  })

  it('on an endorsement as the sign-on screens will build it', () => {
    const endorsement = {
      version: 1,
      manifest_sha256: '3f'.repeat(32),
      organization: { id: 42, name: 'Confederación «Sur» — 🌎', country: 'UY' },
      signatory: { name: 'Ana María Pérez', title: 'Secretaria General' },
      kind: 'adheres with reservations',
      reservation: 'Con reservas sobre el punto 3.\nVer anexo.',
      time: '2026-12-03T17:00:00Z'
    }
    expect(canonicalJson(endorsement)).toBe(serverJcs(JSON.stringify(endorsement)).out)
  })

  it('refusing the same things', () => {
    // JSON.stringify writes a lone surrogate as "\ud800"; both sides refuse it.
    for (const bad of ['\ud800', 'x\udc00', { '\udbff': 1 }]) {
      expect(() => canonicalJson(bad)).toThrow()
      expect(serverJcs(JSON.stringify(bad)).ok).toBe(false)
    }
  })
})
