// Customers by database id or external id, in any order (callers key the rows themselves).
import type { Pool } from "pg";

export interface Customer {
  dbId: number;
  id: string;
  segment: string | null;
  doNotContact: boolean;
  attributes: Record<string, unknown> | null;
}

interface CustomerRow {
  id: number;
  external_id: string;
  segment: string | null;
  do_not_contact: boolean;
  attributes: Record<string, unknown> | null;
}

const toCustomer = (r: CustomerRow): Customer => ({
  dbId: r.id,
  id: r.external_id,
  segment: r.segment,
  doNotContact: r.do_not_contact,
  attributes: r.attributes,
});

export async function customersByIds(pool: Pool, ids: readonly number[]): Promise<Customer[]> {
  const res = await pool.query<CustomerRow>(
    `SELECT id, external_id, segment, do_not_contact, attributes FROM customer
     WHERE id = ANY($1::int[])`,
    [ids],
  );
  return res.rows.map(toCustomer);
}

export async function customersByExternalIds(
  pool: Pool,
  ids: readonly string[],
): Promise<Customer[]> {
  const res = await pool.query<CustomerRow>(
    `SELECT id, external_id, segment, do_not_contact, attributes FROM customer
     WHERE external_id = ANY($1::text[])`,
    [ids],
  );
  return res.rows.map(toCustomer);
}
