// The KPIs JSON a plan row carries (written by the plan service when the plan is stored): one
// shape for every reader — resolvers, comparisons, explanations — instead of each guessing.
export interface StoredKpis {
  objective?: "EXPECTED_RETURN" | "ROMI";
  value?: number;
  expectedReturn?: number;
  cost?: number;
  roi?: number;
  contacts?: number;
  contactsByChannel?: Record<string, number>;
  upperBound?: number | null;
  gap?: number | null;
  baseline?: {
    expectedReturn: number;
    cost: number;
    roi?: number;
    contacts?: number;
    /** per channel and per segment ("" = none); absent on plans stored before they were kept */
    byChannel?: Record<string, StoredBreakdown>;
    bySegment?: Record<string, StoredBreakdown>;
  } | null;
  controlShare?: number;
  /** the held-out group, when the plan has one (the other figures count treatment only) */
  control?: { contacts: number; customers: number; expectedReturn: number; cost: number };
}

export interface StoredBreakdown {
  contacts: number;
  expectedReturn: number;
  cost: number;
}

/** A plan row's kpis column, or an empty object before the plan succeeded. */
export function storedKpis(kpis: unknown): StoredKpis {
  return (kpis ?? {}) as StoredKpis;
}
