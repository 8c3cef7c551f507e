// Views of a plan report shared by the renderers: the baseline's KPIs and the paper's
// offer × channel frequency table.
import type { PlanReport } from "../services/plan-report";

export interface BaselineKpis {
  expectedReturn: number;
  cost: number;
  roi: number | null;
  contacts: number;
}

export function baselineOf(r: PlanReport): BaselineKpis | null {
  const b = (r.kpis?.baseline ?? null) as Record<string, number> | null;
  if (!b) return null;
  return {
    expectedReturn: b.expectedReturn ?? 0,
    cost: b.cost ?? 0,
    roi: b.cost ? (b.roi ?? null) : null,
    contacts: b.contacts ?? 0,
  };
}

export interface OfferChannelMatrix {
  channels: string[];
  rows: { offer: string; contacts: number[]; total: number }[];
}

export function offerChannelMatrix(r: PlanReport): OfferChannelMatrix {
  const channels = r.channels.map((c) => c.channel);
  const byOffer = new Map<string, number[]>();
  for (const c of r.offerChannel) {
    const row = byOffer.get(c.offer) ?? channels.map(() => 0);
    row[channels.indexOf(c.channel)] = c.contacts;
    byOffer.set(c.offer, row);
  }
  return {
    channels,
    rows: [...byOffer.entries()].map(([offer, contacts]) => ({
      offer,
      contacts,
      total: contacts.reduce((s, n) => s + n, 0),
    })),
  };
}

/** "all", a segment, an offer or a channel: what a results row is about. */
export function resultKey(r: PlanReport["results"][number]): string {
  if (r.level === "total") return "all";
  if (r.level === "segment") return r.segment ?? "(none)";
  if (r.level === "offer") return r.offer ?? "";
  return r.channel ?? "";
}
