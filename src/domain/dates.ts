// Campaign dates are plain yyyy-mm-dd strings read as UTC days: the services, the contact-history
// queries and the reports all count days this one way.

/** yyyy-mm-dd, a real calendar date */
export function isCampaignDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The date `days` after a yyyy-mm-dd date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
