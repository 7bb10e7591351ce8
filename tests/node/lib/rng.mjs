// Small seeded random number generator (sfc32) so that every random test case can be reproduced
// from a printed seed. Not for cryptography.

export class Rng {
  constructor (seed) {
    // Spread a 32-bit seed over the four words with splitmix32 so nearby seeds diverge at once.
    let s = seed >>> 0
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next(); this.b = next(); this.c = next(); this.d = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  uint32 () {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
    this.c = (this.c + t) >>> 0
    return t
  }

  // Float in [0, 1).
  float () { return this.uint32() / 4294967296 }
  // Integer in [lo, hi] (inclusive).
  int (lo, hi) { return lo + Math.floor(this.float() * (hi - lo + 1)) }
  bool (p = 0.5) { return this.float() < p }
  pick (arr) { return arr[Math.floor(this.float() * arr.length)] }

  shuffle (arr) {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1))
      const t = arr[i]; arr[i] = arr[j]; arr[j] = t
    }
    return arr
  }

  // A random subset keeping each element with probability p, in the original order.
  subset (arr, p) { return arr.filter(() => this.float() < p) }
}

// Derives the seed of case `index` from the run seed, so one case can be rerun alone.
export function caseSeed (runSeed, index) {
  let h = (runSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0
  return (h ^ (h >>> 15)) >>> 0
}

export function freshSeed () {
  return (Date.now() ^ Math.floor(Math.random() * 4294967296)) >>> 0
}
