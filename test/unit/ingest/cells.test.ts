// Single cells: numbers as Number() and PostgreSQL read them, integers, booleans, trimming.
import {
  parseBoolean,
  parseDecimal,
  parseInteger,
  trimRange,
  type Range,
} from "../../../src/ingest/cells";

const dec = (s: string) => parseDecimal(Buffer.from(s), 0, Buffer.byteLength(s));
const int = (s: string) => parseInteger(Buffer.from(s), 0, Buffer.byteLength(s));
const bool = (s: string) => parseBoolean(Buffer.from(s), 0, Buffer.byteLength(s));
function trim(s: string): string {
  const b = Buffer.from(s);
  const r: Range = { start: 0, end: 0 };
  trimRange(b, 0, b.length, r);
  return b.toString("utf8", r.start, r.end);
}

describe("cells", () => {
  it("reads decimal numbers with '.' as the decimal point", () => {
    expect(dec("0.5")).toBe(0.5);
    expect(dec("-12.25")).toBe(-12.25);
    expect(dec("+3")).toBe(3);
    expect(dec(".5")).toBe(0.5);
    expect(dec("5.")).toBe(5);
    expect(dec("1e3")).toBe(1000);
    expect(dec("2.5E-3")).toBe(0.0025);
    expect(dec("0")).toBe(0);
    expect(dec("007.10")).toBe(7.1);
  });

  it.each([
    "",
    "1,5",
    "abc",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "0x10",
    "1e",
    "1.2.3",
    "- 1",
    "1 000",
    ".",
    "e5",
    "1e999",
    "1e-400",
  ])("rejects %p", (s) => expect(dec(s)).toBeNaN());

  it("gives exactly the double Number() gives, on the fast path and off it", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const digits = (n: number) => Array.from({ length: n }, () => rnd(10)).join("");
    for (let i = 0; i < 20000; i++) {
      const sign = ["", "-", "+"][rnd(3)]!;
      const frac = rnd(3) ? "." + digits(rnd(20)) : "";
      const exp = rnd(4) === 0 ? `e${rnd(2) ? "-" : ""}${rnd(40)}` : "";
      const s = sign + digits(1 + rnd(18)) + frac + exp;
      expect(dec(s)).toBe(Number(s));
    }
  });

  it("reads whole numbers", () => {
    expect(int("0")).toBe(0);
    expect(int("2147483647")).toBe(2147483647);
    expect(int("-5")).toBe(-5);
    for (const s of ["", "1.0", "1e3", "+1", "abc", "1 2", "-"]) expect(int(s)).toBeNaN();
  });

  it("reads booleans true/false in any letter case", () => {
    expect(bool("true")).toBe(true);
    expect(bool("TRUE")).toBe(true);
    expect(bool("False")).toBe(false);
    for (const s of ["", "1", "0", "yes", "t", "truee", "fals"]) expect(bool(s)).toBeNull();
  });

  it("trims whitespace as String.prototype.trim does, non-ASCII spaces included", () => {
    expect(trim("  C1 \t")).toBe("C1");
    expect(trim("\u00a0C1\u3000")).toBe("C1");
    expect(trim("é")).toBe("é");
    expect(trim(" a b ")).toBe("a b");
    expect(trim("   ")).toBe("");
  });
});
