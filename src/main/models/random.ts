/**
 * Seeded pseudo-random numbers for weight initialisation, shuffling and dropout masks.
 * Plain JS so a seed gives the same numbers on every backend.
 */

/** mulberry32: a small, fast 32-bit generator; returns uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Mix several integers into one 31-bit seed (a splitmix-style hash), e.g. (seed, epoch, batch). */
export function mixSeed(...parts: number[]): number {
  let h = 0x243f6a88
  for (const p of parts) {
    h = (h ^ Math.imul((p | 0) + 0x9e3779b9, 0x85ebca6b)) >>> 0
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0
    h = (h ^ (h >>> 16)) >>> 0
  }
  return h & 0x7fffffff
}

/** Standard normal samples (Box-Muller). */
export function normals(n: number, rand: () => number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand()
    const v = rand()
    const r = Math.sqrt(-2 * Math.log(u))
    out[i] = r * Math.cos(2 * Math.PI * v)
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v)
  }
  return out
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(xs: T, rand: () => number): T {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const t = xs[i]
    xs[i] = xs[j]
    xs[j] = t
  }
  return xs
}

/**
 * A random `rows x cols` matrix with orthonormal rows or columns (whichever are fewer), as
 * Keras' Orthogonal initializer draws it: QR of a Gaussian matrix with R's diagonal made
 * positive. Row-major. Done here with modified Gram-Schmidt because tfjs' QR takes minutes
 * on a 320 x 1280 LSTM recurrent kernel.
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number, gain = 1): Float32Array {
  const long = Math.max(rows, cols)
  const short = Math.min(rows, cols)
  const rand = mulberry32(seed)
  // `short` vectors of length `long`, orthonormalised one after another (twice, for stability).
  const v = normals(long * short, rand)
  for (let j = 0; j < short; j++) {
    const vj = v.subarray(j * long, (j + 1) * long)
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const vk = v.subarray(k * long, (k + 1) * long)
        let dot = 0
        for (let i = 0; i < long; i++) dot += vj[i] * vk[i]
        for (let i = 0; i < long; i++) vj[i] -= dot * vk[i]
      }
    }
    let norm = 0
    for (let i = 0; i < long; i++) norm += vj[i] * vj[i]
    norm = Math.sqrt(norm)
    for (let i = 0; i < long; i++) vj[i] /= norm
  }
  const out = new Float32Array(rows * cols)
  for (let j = 0; j < short; j++) {
    for (let i = 0; i < long; i++) {
      // rows >= cols: vector j is column j; otherwise it is row j.
      if (rows >= cols) out[i * cols + j] = gain * v[j * long + i]
      else out[j * cols + i] = gain * v[j * long + i]
    }
  }
  return out
}
