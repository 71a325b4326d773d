/**
 * Seeded randomness and hashing for the data layer. Everything random here (splits,
 * shuffled backgrounds, demo data) takes a seed, so the same inputs and seed give the same
 * dataset on every machine.
 */

/** A small, fast, seedable PRNG (mulberry32 over a splitmix32-scrambled seed). */
export class Rng {
  private state: number

  constructor(seed: number) {
    // Scramble so that nearby seeds (0, 1, 2...) give unrelated streams.
    let z = (Math.floor(seed) ^ 0x9e3779b9) >>> 0
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    this.state = (z ^ (z >>> 16)) >>> 0
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Shuffle in place (Fisher-Yates). */
  shuffle<T extends { length: number; [k: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = a[i]
      a[i] = a[j]
      a[j] = t
    }
    return a
  }

  /** Index drawn with probability proportional to `weights`. */
  weighted(weights: ArrayLike<number>, total?: number): number {
    let sum = total ?? 0
    if (total === undefined) for (let i = 0; i < weights.length; i++) sum += weights[i]
    let r = this.next() * sum
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]
      if (r < 0) return i
    }
    return weights.length - 1
  }
}

/**
 * A 52-bit hash of bytes (two 32-bit FNV-1a lanes with different offsets), exact in a
 * float64. Used to count duplicate sequences and find duplicate ids without keeping every
 * string in a Set; collisions among n items happen with probability about n^2 / 2^53.
 */
export function hashBytes(b: Uint8Array, start = 0, end = b.length): number {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193 ^ (end - start)
  for (let i = start; i < end; i++) {
    const c = b[i]
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  return (h1 >>> 0) * 1048576 + ((h2 >>> 0) & 0xfffff)
}

/** hashBytes of a string's UTF-16 code units (ids are short; no encoding needed). */
export function hashString(s: string): number {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193 ^ s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  return (h1 >>> 0) * 1048576 + ((h2 >>> 0) & 0xfffff)
}
