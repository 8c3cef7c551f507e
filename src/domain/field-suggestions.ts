// "did you mean": an unknown field of the constraint-set JSON is answered with the nearest field
// the schema has at that place (`hurdle` → `hurdleRate`, `capacity` → `channelCapacities`).
import type { ZodType } from "zod";

interface Def {
  type: string;
  shape?: Record<string, ZodType>;
  element?: ZodType;
  innerType?: ZodType;
  in?: ZodType;
}

const defOf = (s: ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The field names of the object schema at `path` (indexes of arrays included), or []. */
export function fieldsAt(schema: ZodType, path: readonly PropertyKey[]): string[] {
  let s: ZodType | undefined = schema;
  const steps = [...path];
  while (s) {
    const d = defOf(s);
    if (d.type === "object") {
      if (steps.length === 0) return Object.keys(d.shape ?? {});
      const next = steps.shift();
      s = d.shape?.[String(next)];
    } else if (d.type === "array") {
      steps.shift();
      s = d.element;
    } else s = d.innerType ?? d.in;
  }
  return [];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known field an unknown one most likely meant, if any is close. */
export function nearestField(unknown: string, known: string[]): string | null {
  const u = unknown.toLowerCase();
  let best: string | null = null;
  let bestScore = Infinity;
  for (const k of known) {
    const l = k.toLowerCase();
    // a prefix or part of the real name ("hurdle", "capacity") is the commonest slip
    const score = l.startsWith(u) || l.includes(u) ? 0.5 : distance(u, l);
    if (score < bestScore) [best, bestScore] = [k, score];
  }
  return bestScore <= Math.max(2, Math.floor(u.length / 3)) ? best : null;
}
