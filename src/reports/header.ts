// The report's header: when the plan ran and for whom, the constraint-set version with its key
// settings, the what-if overrides, and what the plan was computed from.
import { policyRules } from "../domain/policy-rules";
import { basePlanLine, provenanceParts, type PlanReport } from "../services/plan-report";
import { cents, esc, int, pct } from "./format";

type Definition = Record<string, unknown>;

const when = (d: Date | null) =>
  d ? `${new Date(d).toISOString().slice(0, 16).replace("T", " ")} UTC` : "–";

const list = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? (v as Record<string, unknown>[]) : [];

/** "Branch 10,000 · Call centre 20,000" */
function capacities(r: PlanReport, def: Definition): string | null {
  const caps = list(def.channelCapacities);
  if (!caps.length) return null;
  return caps
    .map(
      (c) =>
        `${r.names.channels[String(c.channelId)]?.name ?? c.channelId} ${int(Number(c.capacity))}`,
    )
    .join(" · ");
}

function volumes(r: PlanReport, def: Definition): string | null {
  const vols = list(def.offerVolumes);
  if (!vols.length) return null;
  return vols
    .map((v) => {
      const name = r.names.offers[String(v.offerId)]?.name ?? v.offerId;
      const lo = v.min != null ? `≥ ${int(Number(v.min))}` : "";
      const hi = v.max != null ? `≤ ${int(Number(v.max))}` : "";
      return `${name} ${[lo, hi].filter(Boolean).join(", ")}`;
    })
    .join(" · ");
}

function rules(def: Definition): string | null {
  const parts = [
    list(def.segmentRules).length ? `${list(def.segmentRules).length} segment rules` : null,
    ...policyRules().map(({ field, word }) =>
      list(def[field]).length ? `${list(def[field]).length} ${word}` : null,
    ),
    list(def.waves).length ? `${list(def.waves).length} waves` : null,
  ].filter((x): x is string => x !== null);
  return parts.length ? parts.join(" · ") : null;
}

function settings(r: PlanReport, def: Definition): [string, string | null][] {
  return [
    ["Objective", def.objective === "ROMI" ? "return on marketing investment" : "expected return"],
    ["Budget", def.budget != null ? cents(Number(def.budget)) : "none"],
    ["Hurdle rate", def.hurdleRate != null ? pct(Number(def.hurdleRate)) : "none"],
    ["Offers per customer", String(def.maxOffersPerCustomer ?? 1)],
    ["Channel capacities", capacities(r, def)],
    ["Offer volumes", volumes(r, def)],
    ["Rules", rules(def)],
  ];
}

function whatIf(r: PlanReport): string | null {
  if (!r.whatIf) return null;
  const show = (v: unknown) =>
    v === null ? "none" : typeof v === "number" ? v.toLocaleString("en-US") : JSON.stringify(v);
  return (
    r.whatIf.map((c) => `${c.path} ${show(c.old)} → ${show(c.new)}`).join(" · ") || "no change"
  );
}

function overrides(r: PlanReport): string | null {
  const o = r.parameters.overrides;
  if (!o || !Object.keys(o).length) return null;
  return Object.entries(o)
    .map(([k, v]) =>
      k === "budget" && typeof v === "number" ? `budget ${cents(v)}` : `${k} ${JSON.stringify(v)}`,
    )
    .join(" · ");
}

/** The header as definition-list rows: [term, description]; empty descriptions are left out. */
export function headerRows(r: PlanReport): [string, string][] {
  const def = r.constraintSetDefinition;
  const rows: [string, string | null][] = [
    ["Run", `${when(r.finishedAt ?? r.startedAt)} (queued ${when(r.createdAt)})`],
    ["Requested by", r.requestedBy ?? "command line"],
    ["Constraint set", `${r.constraintSetName}, version ${r.constraintSetVersion}`],
    ...settings(r, def),
    ["What-if of", basePlanLine(r, cents)],
    ["What-if overrides", overrides(r)],
    ["What-if changes", whatIf(r)],
    [
      "Plan",
      [r.name, `run ${r.versionNumber} of this version`, r.status].filter(Boolean).join(" · "),
    ],
    ["Notes", r.notes],
    ["Method", r.method],
    ["Computed from", provenanceParts(r).join(" · ")],
    ["Fingerprint", r.provenance.fingerprint],
    ["Stale", r.provenance.stale],
  ];
  return rows.filter((x): x is [string, string] => x[1] !== null && x[1] !== "");
}

export function headerHtml(r: PlanReport): string {
  const rows = headerRows(r)
    .map(([t, d]) => `<dt>${esc(t)}</dt><dd>${esc(d)}</dd>`)
    .join("\n");
  return `<dl class="header" id="header">\n${rows}\n</dl>`;
}
