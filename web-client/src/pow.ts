// The proof of work of the open-adherence form (SIGNON-CONTRACT section 5): find a nonce such
// that SHA-256(challenge || ":" || nonce) starts with `difficulty` zero bits. It costs a person's
// browser a few seconds once, and a sender of thousands of requests thousands of times that.
// WebCrypto digests run in batches with a pause between them, so the page stays responsive and
// can show progress; nonces are decimal counters.
import { sha256 } from './merkle'

/** The number of leading zero bits of `hash`. */
export function leadingZeroBits (hash: Uint8Array): number {
  let n = 0
  for (const byte of hash) {
    if (byte === 0) { n += 8; continue }
    return n + Math.clz32(byte) - 24
  }
  return n
}

export interface SolveOptions {
  /** Called after each batch with the number of nonces tried so far. */
  onProgress?: (tried: number) => void
  signal?: AbortSignal
  batch?: number
}

export class PowAborted extends Error {
  constructor () { super('proof of work stopped'); this.name = 'PowAborted' }
}

const pause = () => new Promise<void>(resolve => setTimeout(resolve, 0))

/** The first nonce (as a decimal string) that solves the challenge. */
export async function solveChallenge (challenge: string, difficulty: number, options: SolveOptions = {}): Promise<string> {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 40) throw new RangeError(`unusable difficulty ${difficulty}`)
  const batch = options.batch ?? 512
  const encoder = new TextEncoder()
  for (let start = 0; ; start += batch) {
    if (options.signal?.aborted) throw new PowAborted()
    const nonces = Array.from({ length: batch }, (_, i) => String(start + i))
    const hashes = await Promise.all(nonces.map(n => sha256(encoder.encode(`${challenge}:${n}`))))
    const found = hashes.findIndex(h => leadingZeroBits(h) >= difficulty)
    if (found >= 0) return nonces[found]
    options.onProgress?.(start + batch)
    await pause()
  }
}
