// Seeded randomness for the demo data. sfc32 (Chris Doty-Humphrey's "small fast counting" generator)
// passes PractRand, has a 128-bit state and runs on 32-bit integer ops only, which V8 keeps unboxed;
// that matters when 2.5M customers need ~60M draws. Math.log/cos/exp in V8 are its own fdlibm port,
// so the same Node major gives the same doubles on every platform.

const TWO_PI = 2 * Math.PI;
const TWO_POW_32 = 4294967296;

/** splitmix32 step: spreads one 32-bit word over the state so that seeds 1 and 2 are unrelated. */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = 0;
  private hasSpare = false;

  /** seed: any non-negative safe integer; both 32-bit halves are used. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
    }
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    this.a = splitmix32(lo);
    this.b = splitmix32(this.a ^ hi);
    this.c = splitmix32(this.b ^ 0x5bd1e995);
    this.d = splitmix32(this.c ^ lo ^ hi);
    // sfc32's authors discard the first outputs so that a weak seed has mixed through the state.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** uniform in [0, 1) with 32 bits of resolution (plenty for demo data) */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** standard normal (Box–Muller; the second value of each pair is kept for the next call) */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    const u1 = 1 - this.next(); // (0, 1]: log never sees 0
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(TWO_PI * u2);
    this.hasSpare = true;
    return r * Math.cos(TWO_PI * u2);
  }

  /** lognormal factor with mean 1: exp(σZ − σ²/2) */
  meanOneLognormal(sigma: number): number {
    return Math.exp(sigma * this.normal() - 0.5 * sigma * sigma);
  }

  /** integer in [0, n) */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}
