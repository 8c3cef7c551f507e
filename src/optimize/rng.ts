// Seeded pseudo-random numbers for everything in src/optimize that samples or breaks ties at
// random: a fixed seed must give the same plan on every run and machine, so Math.random is never
// used. SplitMix32 is tiny, fast and passes the usual statistical batteries for this purpose.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** uniform 32-bit unsigned integer */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** uniform in [0, 1) */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** uniform integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** a seed for an independent child stream (e.g. one per phase) */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

/** k distinct indexes of [0, n), in increasing order (Floyd's algorithm for k << n, else a shuffle). */
export function sampleIndexes(n: number, k: number, rng: Rng): Int32Array {
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(k);
  if (k * 4 < n) {
    const chosen = new Set<number>();
    for (let j = n - k; j < n; j++) {
      const t = rng.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    let w = 0;
    for (const v of chosen) out[w++] = v;
  } else {
    const all = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(n - i);
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
      out[i] = all[i];
    }
  }
  return out.sort();
}
