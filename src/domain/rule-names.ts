// The constraint-report names of a set's rules. The report's key is (plan, name), so two rules of
// one name make every plan of the set fail when its report is written; the parser refuses such
// sets instead (reportNameProblems), from the same names the resolvers give the rows (each
// contact-policy kind's entry in policy-rules.ts).
import type { ConstraintSetDefinition, FieldProblem, SegmentRule } from "./constraint-set";
import { joinName, policyRules, rulesIn } from "./policy-rules";

type Def = ConstraintSetDefinition;
export function segmentRuleName(r: SegmentRule): string {
  return joinName(
    `segment:${r.segment}`,
    r.offerId == null ? null : `offer:${r.offerId}`,
    r.channelId == null ? null : `channel:${r.channelId}`,
  );
}

/** Rows every plan may have whatever its set says. */
const OWN_ROWS = new Set(["budget", "hurdle", "offers_per_customer", "distinct_offers"]);
/** Rows named after the dataset's channels and offers, which the parser does not know. */
const DATASET_ROW_PREFIXES = ["capacity:", "offer_min:", "offer_max:"];

interface NamedRow {
  name: string;
  /** the rule the row comes from */
  path: string;
  /** where a clash is reported: the rule's `name` when the user chose it */
  at: string;
}

/** The rows of the set's rules, in the order their names are claimed. */
function rows(def: Def): { rows: NamedRow[]; chosen: NamedRow[] } {
  const out: NamedRow[] = [];
  const chosen: NamedRow[] = [];
  const waves = def.waves ?? [];
  // a calendar of several waves repeats some rows per wave, suffixed with the wave's name
  const calendar = waves.length > 1;
  waves.forEach((w, i) => {
    if (!calendar) return;
    const path = `waves.${i}`;
    out.push({ name: `offers_per_customer@${w.name}`, path, at: path });
    if (w.budget != null) out.push({ name: `budget@${w.name}`, path, at: path });
  });
  def.segmentRules.forEach((r, i) => {
    const path = `segmentRules.${i}`;
    out.push({ name: segmentRuleName(r), path, at: path });
  });
  const perWave: NamedRow[] = [];
  for (const rule of policyRules()) {
    rulesIn(def, rule).forEach((entry, i) => {
      const r = entry as { name?: string | null };
      const path = `${rule.field}.${i}`;
      const at = r.name != null ? `${path}.name` : path;
      const n = rule.name(r);
      if (r.name != null && rule.chosenNameIsRowName) chosen.push({ name: n, path, at });
      for (const row of rule.rowNames?.(r, n) ?? [n]) {
        out.push({ name: row, path, at });
        if (rule.repeatedPerWave && calendar)
          for (const w of waves) perWave.push({ name: `${row}@${w.name}`, path, at });
      }
    });
  }
  return { rows: [...out, ...perWave], chosen };
}

/** Rules whose report rows would share a name with an earlier row, or with the plan's own. */
export function reportNameProblems(def: Def): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { rows: named, chosen } = rows(def);
  const refused = new Set<string>();
  for (const r of chosen) {
    if (OWN_ROWS.has(r.name) || DATASET_ROW_PREFIXES.some((p) => r.name.startsWith(p))) {
      problems.push({
        path: r.at,
        message: `"${r.name}" is the name of a row every plan may have; choose another name`,
      });
      refused.add(r.path);
    }
  }
  const first = new Map<string, NamedRow>();
  for (const r of named) {
    const before = first.get(r.name);
    if (before === undefined) first.set(r.name, r);
    else if (before.path !== r.path && !refused.has(r.path)) {
      problems.push({
        path: r.at,
        message: `duplicate of ${before.path}: both would be the constraint-report row "${r.name}", and a plan has one row per name`,
      });
      refused.add(r.path);
    }
  }
  return problems;
}
