// Fixed-point numbers for the CSV files. Every generated number is held as an integer count of
// units (micro-probabilities, cents) and written as its exact decimal. `units / scale` is then the
// very double that parsing the written text gives (both are the correctly rounded value of the same
// rational), so an instance built in memory matches one loaded from the CSV bit for bit.

export const PROBABILITY_DECIMALS = 6; // 0.012346
export const MONEY_DECIMALS = 2;
export const PROBABILITY_SCALE = 10 ** PROBABILITY_DECIMALS;
export const MONEY_SCALE = 10 ** MONEY_DECIMALS;

const ZEROS = ["", "0", "00", "000", "0000", "00000", "000000", "0000000", "00000000"];

/**
 * A formatter of integer unit counts with `decimals` places: (1250) → "12.5" for 2 places;
 * trailing zeros dropped, never exponent form. Returned as a closure because it runs ~50M times
 * for a large dataset and a local function is cheaper to call than a module export.
 */
export function fixedFormatter(decimals: number): (units: number) => string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals >= ZEROS.length) {
    throw new RangeError(`decimals must be an integer in [0, ${ZEROS.length - 1}]`);
  }
  const scale = 10 ** decimals;
  const format = (units: number): string => {
    if (units < 0) return "-" + format(-units);
    const whole = Math.floor(units / scale);
    let frac = units - whole * scale;
    if (frac === 0) return "" + whole;
    let width = decimals;
    while (frac % 10 === 0) {
      frac /= 10;
      width--;
    }
    const digits = "" + frac;
    return whole + "." + ZEROS[width - digits.length] + digits;
  };
  return format;
}

export function toUnits(x: number, scale: number): number {
  return Math.round(x * scale);
}
