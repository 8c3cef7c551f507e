// What a reader of the plan report is shown, computed once from the stored report and shared by
// the HTML page and its PDF print: names beside ids, the optimized plan beside the ad-hoc one with
// absolute and relative differences, totals, and each binding constraint in words.
import type { StoredBreakdown, StoredKpis } from "../domain/stored-kpis";
import type { ReportRow } from "../db/plan-writer";
import type { PlanReport } from "../services/plan-report";
import { cents } from "./format";
import { baselineOf, offerChannelMatrix, type BaselineKpis } from "./shape";

export interface Named {
  id: string;
  name: string;
}

export interface Comparison {
  metric: string;
  optimized: number;
  adHoc: number | null;
  /** optimized − ad-hoc; for a ratio, in the ratio's own units (ROI: points of ROI) */
  difference: number | null;
  /** difference / |ad-hoc|; null for a ratio or an ad-hoc value of 0 */
  relative: number | null;
  unit: "money" | "count" | "ratio";
}

export interface BreakdownRow extends Named {
  optimized: StoredBreakdown;
  adHoc: StoredBreakdown | null;
}

export interface ConstraintLine {
  row: ReportRow;
  /** the row as a reader names it: "Branch capacity", "The GIC minimum" */
  label: string;
  /** what the row's numbers count: dollars for budget and hurdle, contacts otherwise */
  unit: "$" | "contacts" | "offers";
  /** one sentence for a binding row with a price, else null */
  meaning: string | null;
}

export interface ReportView {
  kpis: Comparison[];
  hasBaseline: boolean;
  channels: BreakdownRow[];
  segments: BreakdownRow[];
  offers: (Named & { category: string; contacts: number[]; total: number })[];
  categories: string[];
  constraints: ConstraintLine[];
}

export function reportView(r: PlanReport): ReportView {
  const k = (r.kpis ?? {}) as StoredKpis;
  const base = baselineOf(r);
  const adHoc = k.baseline ?? null;
  const offers = offerRows(r);
  return {
    kpis: comparisons(k, base),
    hasBaseline: base !== null,
    channels: r.channels.map((c) => ({
      id: c.channel,
      name: r.names.channels[c.channel]?.name ?? c.channel,
      optimized: { contacts: c.contacts, expectedReturn: c.expectedReturn, cost: c.cost },
      adHoc: adHoc?.byChannel?.[c.channel] ?? (adHoc?.byChannel ? zero() : null),
    })),
    segments: r.segments.map((s) => ({
      id: s.segment ?? "",
      name: s.segment ?? "(no segment)",
      optimized: { contacts: s.contacts, expectedReturn: s.expectedReturn, cost: s.cost },
      adHoc: adHoc?.bySegment?.[s.segment ?? ""] ?? (adHoc?.bySegment ? zero() : null),
    })),
    offers,
    categories: [...new Set(offers.map((o) => o.category))].sort(),
    constraints: r.constraintReport.map((row) => constraintLine(r, row, k.objective)),
  };
}

const zero = (): StoredBreakdown => ({ contacts: 0, expectedReturn: 0, cost: 0 });

function comparisons(k: StoredKpis, base: BaselineKpis | null): Comparison[] {
  const one = (
    metric: string,
    unit: Comparison["unit"],
    optimized: number,
    adHoc: number | null,
  ): Comparison => {
    const difference = adHoc === null ? null : optimized - adHoc;
    const relative =
      difference === null || unit === "ratio" || adHoc === 0 ? null : difference / Math.abs(adHoc!);
    return { metric, optimized, adHoc, difference, relative, unit };
  };
  const roi = k.cost ? (k.roi ?? null) : null;
  return [
    one("Expected return", "money", k.expectedReturn ?? 0, base?.expectedReturn ?? null),
    one("Cost", "money", k.cost ?? 0, base?.cost ?? null),
    one("ROI (return − cost) / cost", "ratio", roi ?? 0, base?.roi ?? null),
    one("Contacts", "count", k.contacts ?? 0, base?.contacts ?? null),
  ];
}

function offerRows(r: PlanReport): ReportView["offers"] {
  const matrix = offerChannelMatrix(r);
  return matrix.rows
    .map((row) => {
      const named = r.names.offers[row.offer];
      return {
        id: row.offer,
        name: named?.name ?? row.offer,
        category: named?.category ?? "(no category)",
        contacts: row.contacts,
        total: row.total,
      };
    })
    .sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name));
}

/** The name a reader knows a constraint's subject by: "Branch capacity", "GIC minimum". */
function subject(r: PlanReport, row: ReportRow): string {
  const [, id] = row.name.split(":");
  const offer = id ? r.names.offers[id]?.name : undefined;
  const channel = id ? r.names.channels[id]?.name : undefined;
  switch (row.kind) {
    case "budget":
      return "budget";
    case "hurdle":
      return "the hurdle rate's required return";
    case "capacity":
      return `${channel ?? id} capacity`;
    case "offer_min":
      return `the ${offer ?? id} minimum`;
    case "offer_max":
      return `the ${offer ?? id} maximum`;
    case "offers_per_customer":
      return "offers per customer";
    default:
      return row.name;
  }
}

function unitOf(row: ReportRow): ConstraintLine["unit"] {
  if (row.kind === "budget" || row.kind === "hurdle") return "$";
  return row.kind === "offers_per_customer" ? "offers" : "contacts";
}

function constraintLine(
  r: PlanReport,
  row: ReportRow,
  objective: StoredKpis["objective"],
): ConstraintLine {
  const unit = unitOf(row);
  const label = capital(subject(r, row));
  if (!row.binding || row.dual === null || row.reportOnly)
    return { row, label, unit, meaning: null };
  const what = objective === "ROMI" ? "ROI" : "expected return";
  const worth = (v: number) => (objective === "ROMI" ? `${(v * 100).toFixed(4)} points` : cents(v));
  const one = unit === "$" ? "dollar" : unit === "offers" ? "offer per customer" : "contact";
  const name = subject(r, row);
  let meaning: string;
  if (Math.abs(row.dual) < 1e-12)
    meaning = `${capital(name)} binds, but one ${one} more or less would not change the ${what}.`;
  else if (row.sense === "GE" && row.dual < 0)
    meaning = `Each ${one} ${name} requires costs ${worth(-row.dual)} of ${what}: lowering it by one would add that much.`;
  else if (row.dual > 0)
    meaning = `One more ${one} of ${name} would add ${worth(row.dual)} of ${what}.`;
  else meaning = `One more ${one} of ${name} would take ${worth(-row.dual)} of ${what} away.`;
  return { row, label, unit, meaning };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
