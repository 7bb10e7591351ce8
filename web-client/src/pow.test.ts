import { describe, it, expect } from 'vitest'
import { createHash } from 'node:crypto'
import { leadingZeroBits, solveChallenge, PowAborted } from './pow'

const bits = (s: string) => leadingZeroBits(new Uint8Array(createHash('sha256').update(s).digest()))

describe('proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(new Uint8Array([0x80]))).toBe(0)
    expect(leadingZeroBits(new Uint8Array([0x01, 0xff]))).toBe(7)
    expect(leadingZeroBits(new Uint8Array([0x00, 0x00, 0x10]))).toBe(19)
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16)
  })

  it('finds the first nonce that solves the challenge, checked with node:crypto', async () => {
    const challenge = 'v1.12.1796000000.abcdef'
    const progress: number[] = []
    const nonce = await solveChallenge(challenge, 10, { onProgress: n => progress.push(n), batch: 64 })
    expect(bits(`${challenge}:${nonce}`)).toBeGreaterThanOrEqual(10)
    // No smaller nonce solves it.
    for (let i = 0; i < Number(nonce); i++) expect(bits(`${challenge}:${i}`)).toBeLessThan(10)
    expect(progress.every((n, i) => n === (i + 1) * 64)).toBe(true)
    expect(await solveChallenge(challenge, 0)).toBe('0')
  })

  it('stops when aborted and refuses silly difficulties', async () => {
    const ac = new AbortController()
    ac.abort()
    await expect(solveChallenge('x', 30, { signal: ac.signal })).rejects.toBeInstanceOf(PowAborted)
    await expect(solveChallenge('x', 99)).rejects.toBeInstanceOf(RangeError)
  })
})
