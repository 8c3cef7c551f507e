// Numbers and text as the report prints them, one convention per kind of number: money in whole
// dollars in the summaries and to the cent in the constraint report, counts whole, rates and
// differences in per cent to one decimal, marginal values to four decimals with their unit.

export const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const sign = (v: number) => (v > 0 ? "+" : v < 0 ? "−" : "");

export const money = (v: number) =>
  `${v < 0 ? "−" : ""}$${Math.abs(v).toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
export const cents = (v: number) =>
  `${v < 0 ? "−" : ""}$${Math.abs(v).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
export const int = (v: number) =>
  `${v < 0 ? "−" : ""}${Math.round(Math.abs(v)).toLocaleString("en-US")}`;
export const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);

/** A signed difference: "+$1,234", "−56", "+12.3%", "+2.1 pts". */
export function delta(v: number | null, unit: "money" | "count" | "ratio" | "relative"): string {
  if (v === null) return "–";
  const abs = Math.abs(v);
  switch (unit) {
    case "money":
      return `${sign(v)}$${abs.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
    case "count":
      return `${sign(v)}${Math.round(abs).toLocaleString("en-US")}`;
    case "ratio":
      return `${sign(v)}${(abs * 100).toFixed(1)} pts`;
    case "relative":
      return `${sign(v)}${(abs * 100).toFixed(1)}%`;
  }
}

/** A marginal value with its unit: "$1.5700 per $", "$0.4902 per contact". */
export function dual(v: number | null, unit: "$" | "contacts" | "offers"): string {
  if (v === null) return "–";
  const per = unit === "$" ? "$" : unit === "offers" ? "offer" : "contact";
  return `${v < 0 ? "−" : ""}$${Math.abs(v).toFixed(4)} per ${per}`;
}

/** A constraint's level or bound in its unit. */
export function amount(v: number, unit: "$" | "contacts" | "offers"): string {
  if (!Number.isFinite(v)) return String(v);
  return unit === "$" ? cents(v) : int(v);
}
