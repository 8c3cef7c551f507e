// datasetToInstance must equal what loading the written CSV files gives. The expected instance is
// built here from the parsed files with the contract's rules, without the generator's code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { datasetToInstance, writeDataset, type ProfileName } from "../../../src/generate";
import type { Instance } from "../../../src/optimize/instance";
import { num, readCsv, tempDir, type Row } from "./helpers";

interface ExpectedOption {
  customer: string;
  offer: string;
  channel: string;
  r: number;
  c: number;
}

function optionsFromCsv(dir: string): { options: ExpectedOption[]; customers: Row[] } {
  const channels = readCsv(dir, "channels.csv").rows;
  const offers = readCsv(dir, "offers.csv").rows;
  const customers = readCsv(dir, "customers.csv").rows;
  const scores = readCsv(dir, "scores.csv").rows;
  const rows = new Map<string, Row>();
  for (const s of scores) rows.set(`${s.customer_id}|${s.offer_id}|${s.channel_id}`, s);

  const options: ExpectedOption[] = [];
  for (const cu of customers) {
    if (cu.do_not_contact === "true") continue;
    for (const o of offers) {
      const allowed = o.channels === "" ? null : o.channels.split(";");
      for (const ch of channels) {
        if (allowed && !allowed.includes(ch.channel_id)) continue;
        const own = rows.get(`${cu.customer_id}|${o.offer_id}|${ch.channel_id}`);
        const base = rows.get(`${cu.customer_id}|${o.offer_id}|`);
        const row = own ?? base;
        if (!row) continue;
        const p = own
          ? Number(own.probability)
          : Math.min(1, Number(row.probability) * Number(ch.response_factor));
        options.push({
          customer: cu.customer_id,
          offer: o.offer_id,
          channel: ch.channel_id,
          r: p * Number(row.value),
          c: row.cost === "" ? Number(ch.cost_per_contact) : Number(row.cost),
        });
      }
    }
  }
  return { options, customers };
}

function optionsFromInstance(inst: Instance, customerIds: string[]): ExpectedOption[] {
  const out: ExpectedOption[] = [];
  for (let i = 0; i < inst.numCustomers; i++) {
    for (let q = inst.custStart[i]; q < inst.custStart[i + 1]; q++) {
      out.push({
        customer: customerIds[i],
        offer: inst.offerIds[inst.optOffer[q]],
        channel: inst.channelIds[inst.optChannel[q]],
        r: inst.optReturn[q],
        c: inst.optCost[q],
      });
    }
  }
  return out;
}

describe.each<ProfileName>(["default", "hard"])("datasetToInstance (%s profile)", (profile) => {
  const N = 3_000;
  const dir = tempDir(`inst-${profile}`);
  afterAll(() => dir.remove());

  it("equals the instance the written CSV files describe, number for number", async () => {
    const summary = await writeDataset({ customers: N, seed: 5, profile, outDir: dir.path });
    const { instance, constraints, stats } = datasetToInstance({ customers: N, seed: 5, profile });
    const { options: expected, customers } = optionsFromCsv(dir.path);

    expect(instance.numCustomers).toBe(N);
    expect(instance.offerIds).toEqual(readCsv(dir.path, "offers.csv").rows.map((r) => r.offer_id));
    expect(instance.channelIds).toEqual(
      readCsv(dir.path, "channels.csv").rows.map((r) => r.channel_id),
    );
    const actual = optionsFromInstance(
      instance,
      customers.map((c) => c.customer_id),
    );
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected); // exact: toEqual compares numbers with Object.is
    const sum = (xs: ExpectedOption[], f: (o: ExpectedOption) => number) =>
      xs.reduce((s, o) => s + f(o), 0);
    expect(sum(actual, (o) => o.r)).toBe(sum(expected, (o) => o.r));
    expect(sum(actual, (o) => o.c)).toBe(sum(expected, (o) => o.c));

    // do-not-contact customers have no options; every other customer's segment is kept
    customers.forEach((c, i) => {
      if (c.do_not_contact === "true")
        expect(instance.custStart[i + 1]).toBe(instance.custStart[i]);
    });
    expect(customers.map((c, i) => instance.segments[instance.customerSegment[i]])).toEqual(
      customers.map((c) => c.segment),
    );
    expect(Array.from(instance.customerKey.subarray(0, 3))).toEqual([1, 2, 3]);

    const { seconds: _a, ...s1 } = stats;
    const { seconds: _b, outDir: _c, files: _d, ...s2 } = summary;
    expect(s1).toEqual(s2);

    // constraints: constraints.json over channels.csv / offers.csv
    const json = JSON.parse(readFileSync(join(dir.path, "constraints.json"), "utf8")) as {
      budget: number;
      hurdleRate: number;
    };
    expect(constraints.budget).toBe(json.budget);
    expect(constraints.hurdleRate).toBe(json.hurdleRate);
    expect(constraints.maxOffersPerCustomer).toBe(1);
    expect(Array.from(constraints.channelCapacity)).toEqual(
      readCsv(dir.path, "channels.csv").rows.map((r) => num(r.capacity) ?? Infinity),
    );
    const offers = readCsv(dir.path, "offers.csv").rows;
    expect(Array.from(constraints.offerMin)).toEqual(offers.map((r) => Number(r.min_volume)));
    expect(Array.from(constraints.offerMax)).toEqual(
      offers.map((r) => num(r.max_volume) ?? Infinity),
    );
  });

  it("is deterministic and seed-dependent", () => {
    const a = datasetToInstance({ customers: 500, seed: 9, profile }).instance;
    const b = datasetToInstance({ customers: 500, seed: 9, profile }).instance;
    const c = datasetToInstance({ customers: 500, seed: 10, profile }).instance;
    expect(a.optReturn).toEqual(b.optReturn);
    expect(a.custStart).toEqual(b.custStart);
    expect(a.optReturn).not.toEqual(c.optReturn);
  });
});

describe("datasetToInstance options", () => {
  it("rejects invalid sizes, seeds and profiles", () => {
    expect(() => datasetToInstance({ customers: 0, seed: 1, profile: "default" })).toThrow(
      RangeError,
    );
    expect(() => datasetToInstance({ customers: 10, seed: -1, profile: "default" })).toThrow(
      RangeError,
    );
    expect(() =>
      datasetToInstance({ customers: 10, seed: 1, profile: "easy" as unknown as ProfileName }),
    ).toThrow(/unknown profile/);
  });
});
