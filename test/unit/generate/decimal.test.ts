import { AsciiChunks } from "../../../src/generate/ascii-chunks";
import { fixedFormatter, toUnits } from "../../../src/generate/decimal";
import { Random } from "../../../src/generate/prng";

describe("fixed-point formatting", () => {
  const money = fixedFormatter(2);
  const prob = fixedFormatter(6);

  it("writes plain decimals without trailing zeros or exponents", () => {
    expect(money(0)).toBe("0");
    expect(money(100)).toBe("1");
    expect(money(150)).toBe("1.5");
    expect(money(105)).toBe("1.05");
    expect(money(123456789)).toBe("1234567.89");
    expect(prob(1)).toBe("0.000001");
    expect(prob(12346)).toBe("0.012346");
    expect(prob(150000)).toBe("0.15");
    expect(prob(1_000_000)).toBe("1");
    expect(money(-250)).toBe("-2.5");
  });

  it("parses back to exactly units / scale", () => {
    const rng = new Random(7);
    for (let i = 0; i < 20_000; i++) {
      const p = Math.floor(rng.next() * 1_000_001);
      expect(Number(prob(p))).toBe(p / 1_000_000);
      const c = Math.floor(rng.next() * 10_000_000);
      expect(Number(money(c))).toBe(c / 100);
    }
    expect(toUnits(0.0123456, 1_000_000)).toBe(12346);
  });

  it("byte writer produces the same text as the string formatter", () => {
    const rng = new Random(3);
    const chunks = new AsciiChunks();
    const expected: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const p = Math.floor(rng.next() * 1_000_001);
      const c = Math.floor(rng.next() * 10_000_000);
      const n = Math.floor(rng.next() * 100_000);
      chunks.fixed(p, 6, 1_000_000);
      chunks.byte(44);
      chunks.fixed(c, 2, 100);
      chunks.byte(44);
      chunks.uint(n);
      chunks.byte(10);
      chunks.endRecord();
      expected.push(`${prob(p)},${money(c)},${n}\n`);
    }
    const text = Buffer.concat(chunks.take()).toString("latin1");
    expect(text).toBe(expected.join(""));
  });
});

describe("seeded random stream", () => {
  const draw = (seed: number, n: number) => {
    const r = new Random(seed);
    return Array.from({ length: n }, () => r.uint32());
  };

  it("repeats for the same seed and differs for another", () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
    const a = draw(1, 100);
    const b = draw(2, 100);
    expect(a.filter((v, i) => v === b[i]).length).toBeLessThan(2);
  });

  it("accepts seeds above 2^32 and rejects invalid ones", () => {
    expect(draw(2 ** 40 + 1, 5)).not.toEqual(draw(1, 5));
    expect(() => new Random(-1)).toThrow(RangeError);
    expect(() => new Random(1.5)).toThrow(RangeError);
  });

  it("gives uniform and normal draws with the right moments", () => {
    const r = new Random(11);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let sl = 0;
    for (let i = 0; i < n; i++) {
      su += r.next();
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      sl += r.meanOneLognormal(0.5);
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
    expect(sl / n).toBeCloseTo(1, 2);
  });
});
