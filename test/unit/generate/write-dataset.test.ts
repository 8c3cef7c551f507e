import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseConstraintSet } from "../../../src/domain/constraint-set";
import { DATASET_FILES, writeDataset, type GenerateSummary } from "../../../src/generate";
import { num, readCsv, tempDir, type Row } from "./helpers";

const N = 10_000;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

describe("writeDataset", () => {
  const a = tempDir("a");
  const b = tempDir("b");
  const c = tempDir("c");
  let summary: GenerateSummary;

  beforeAll(async () => {
    summary = await writeDataset({ customers: N, seed: 7, profile: "default", outDir: a.path });
    await writeDataset({ customers: N, seed: 7, profile: "default", outDir: b.path });
    await writeDataset({ customers: N, seed: 8, profile: "default", outDir: c.path });
  });
  afterAll(() => [a, b, c].forEach((d) => d.remove()));

  const bytes = (dir: string, f: string) => readFileSync(join(dir, f));

  it("writes byte-identical files for the same options and seed", () => {
    for (const f of DATASET_FILES) expect(bytes(a.path, f).equals(bytes(b.path, f))).toBe(true);
  });

  it("writes different customers and scores for another seed, same small tables", () => {
    expect(bytes(a.path, "scores.csv").equals(bytes(c.path, "scores.csv"))).toBe(false);
    expect(bytes(a.path, "customers.csv").equals(bytes(c.path, "customers.csv"))).toBe(false);
    expect(bytes(a.path, "channels.csv").equals(bytes(c.path, "channels.csv"))).toBe(true);
    expect(bytes(a.path, "offers.csv").equals(bytes(c.path, "offers.csv"))).toBe(true);
  });

  it("creates the output directory and reports what it wrote", async () => {
    const d = tempDir("nested");
    try {
      const out = join(d.path, "x", "y");
      const s = await writeDataset({ customers: 50, seed: 1, profile: "hard", outDir: out });
      expect(s.customers).toBe(50);
      expect(s.files).toEqual(DATASET_FILES.map((f) => join(out, f)));
      expect(readCsv(out, "customers.csv").rows).toHaveLength(50);
    } finally {
      d.remove();
    }
  });

  it("rejects an output directory it cannot create", async () => {
    const file = join(a.path, "channels.csv");
    await expect(
      writeDataset({ customers: 10, seed: 1, profile: "default", outDir: join(file, "sub") }),
    ).rejects.toThrow();
  });

  describe("CSV validity per the data contract", () => {
    let channels: Row[];
    let offers: Row[];
    let customers: Row[];
    let scores: Row[];
    let headers: Record<string, string[]>;

    beforeAll(() => {
      headers = {};
      const load = (f: string) => {
        const { header, rows } = readCsv(a.path, f);
        headers[f] = header;
        return rows;
      };
      channels = load("channels.csv");
      offers = load("offers.csv");
      customers = load("customers.csv");
      scores = load("scores.csv");
    });

    it("has the required columns and the extra customer attributes", () => {
      expect(headers["channels.csv"]).toEqual(
        expect.arrayContaining(["channel_id", "cost_per_contact", "capacity", "response_factor"]),
      );
      expect(headers["offers.csv"]).toEqual(
        expect.arrayContaining(["offer_id", "category", "min_volume", "max_volume", "channels"]),
      );
      expect(headers["customers.csv"]).toEqual(
        expect.arrayContaining(["customer_id", "segment", "do_not_contact"]),
      );
      expect(headers["customers.csv"].length).toBeGreaterThanOrEqual(5);
      expect(headers["scores.csv"]).toEqual(
        expect.arrayContaining([
          "customer_id",
          "offer_id",
          "channel_id",
          "probability",
          "value",
          "cost",
        ]),
      );
    });

    it("has unique ids and valid numbers in the small tables", () => {
      const channelIds = channels.map((r) => r.channel_id);
      expect(new Set(channelIds).size).toBe(channelIds.length);
      for (const r of channels) {
        expect(r.cost_per_contact).toMatch(PLAIN_DECIMAL);
        expect(Number(r.cost_per_contact)).toBeGreaterThanOrEqual(0);
        if (r.capacity !== "") expect(Number.isInteger(Number(r.capacity))).toBe(true);
        expect(Number(r.response_factor)).toBeGreaterThan(0);
      }
      const offerIds = offers.map((r) => r.offer_id);
      expect(new Set(offerIds).size).toBe(offerIds.length);
      for (const r of offers) {
        expect(Number.isInteger(Number(r.min_volume))).toBe(true);
        if (r.channels !== "")
          for (const k of r.channels.split(";")) expect(channelIds).toContain(k);
      }
    });

    it("has unique customers with valid flags, and count matches the summary", () => {
      expect(customers).toHaveLength(N);
      expect(new Set(customers.map((r) => r.customer_id)).size).toBe(N);
      for (const r of customers) expect(["true", "false"]).toContain(r.do_not_contact);
      expect(customers.filter((r) => r.do_not_contact === "true")).toHaveLength(
        summary.doNotContact,
      );
    });

    it("has score rows with known references, valid numbers and no duplicate keys", () => {
      expect(scores).toHaveLength(summary.scoreRows);
      const customerIds = new Set(customers.map((r) => r.customer_id));
      const allowed = new Map(
        offers.map((o) => [
          o.offer_id,
          o.channels === "" ? channels.map((c) => c.channel_id) : o.channels.split(";"),
        ]),
      );
      // collected and asserted once: an expect() per row makes this test slow
      const bad: string[] = [];
      const keys = new Set<string>();
      let channelRows = 0;
      scores.forEach((r, line) => {
        const why: string[] = [];
        if (!customerIds.has(r.customer_id)) why.push("unknown customer");
        const chans = allowed.get(r.offer_id);
        if (!chans) why.push("unknown offer");
        if (r.channel_id !== "") {
          channelRows++;
          if (!chans?.includes(r.channel_id)) why.push("channel not allowed");
        }
        if (!PLAIN_DECIMAL.test(r.probability) || !PLAIN_DECIMAL.test(r.value)) why.push("number");
        const p = Number(r.probability);
        if (!(p >= 0 && p <= 1)) why.push("probability out of [0,1]");
        if (r.cost !== "" && !(PLAIN_DECIMAL.test(r.cost) && Number(r.cost) >= 0)) why.push("cost");
        const key = `${r.customer_id}|${r.offer_id}|${r.channel_id}`;
        if (keys.has(key)) why.push("duplicate key");
        keys.add(key);
        if (why.length) bad.push(`line ${line + 2}: ${why.join(", ")}`);
      });
      expect(bad.slice(0, 10)).toEqual([]);
      expect(channelRows).toBe(summary.channelRows);
    });

    it("exercises the contract's paths: overrides, explicit costs, restricted offers", () => {
      const withChannel = scores.filter((r) => r.channel_id !== "");
      const share = withChannel.length / scores.length;
      expect(share).toBeGreaterThan(0.01);
      expect(share).toBeLessThan(0.1);
      // every override has the channel-less row it overrides
      const base = new Set(
        scores.filter((r) => r.channel_id === "").map((r) => `${r.customer_id}|${r.offer_id}`),
      );
      expect(withChannel.filter((r) => !base.has(`${r.customer_id}|${r.offer_id}`))).toEqual([]);
      const costed = scores.filter((r) => r.cost !== "");
      expect(costed.length).toBeGreaterThan(0);
      expect(costed.length / scores.length).toBeLessThan(0.2);
      expect(offers.filter((o) => o.channels !== "").length).toBeGreaterThanOrEqual(2);
    });

    it("has realistic response rates and values", () => {
      const ps = scores.filter((r) => r.channel_id === "").map((r) => Number(r.probability));
      const mean = ps.reduce((s, p) => s + p, 0) / ps.length;
      expect(mean).toBeGreaterThan(0.005);
      expect(mean).toBeLessThan(0.08);
      expect(ps.reduce((m, p) => Math.max(m, p), 0)).toBeLessThanOrEqual(0.15);
      const valueOf = (id: string) => {
        const v = scores.filter((r) => r.offer_id === id).map((r) => Number(r.value));
        return v.reduce((s, x) => s + x, 0) / v.length;
      };
      expect(valueOf("lend_mortgage")).toBeGreaterThan(10 * valueOf("dd_online"));
    });
  });

  describe("shape of the paper's case", () => {
    it("has 11 offers in the three families with scaled minimums", () => {
      const offers = readCsv(a.path, "offers.csv").rows;
      expect(offers).toHaveLength(11);
      const byCat = (c: string) => offers.filter((o) => o.category === c);
      expect(byCat("investment")).toHaveLength(5);
      expect(byCat("lending")).toHaveLength(3);
      expect(byCat("day_to_day")).toHaveLength(3);
      const min = (id: string) => Number(offers.find((o) => o.offer_id === id)?.min_volume);
      // 20,000 / 2,500 / 5,000 of 2.5M
      expect(min("dd_online")).toBe((20_000 / 2_500_000) * N);
      expect(min("inv_resp")).toBe((2_500 / 2_500_000) * N);
      expect(min("inv_gic")).toBe((5_000 / 2_500_000) * N);
      expect(offers.find((o) => o.offer_id === "dd_online")?.channels).toBe("mail");
    });

    it("has mail, call centre and branch with the paper's costs and capacities", () => {
      const ch = Object.fromEntries(
        readCsv(a.path, "channels.csv").rows.map((r) => [r.channel_id, r]),
      );
      expect(Object.keys(ch)).toEqual(["mail", "call_centre", "branch"]);
      expect(num(ch.mail.cost_per_contact)).toBe(1);
      expect(num(ch.call_centre.cost_per_contact)).toBe(1.5);
      expect(num(ch.branch.cost_per_contact)).toBe(3);
      expect(ch.mail.capacity).toBe("");
      expect(num(ch.call_centre.capacity)).toBe(0.2 * N);
      expect(num(ch.branch.capacity)).toBe(0.1 * N);
      const rf = (k: string) => Number(ch[k].response_factor);
      expect(rf("mail")).toBeLessThan(rf("call_centre"));
      expect(rf("call_centre")).toBeLessThan(rf("branch"));
    });

    it("has 5 segments of different sizes, ~3% do-not-contact, ~30% ineligible pairs", () => {
      const customers = readCsv(a.path, "customers.csv").rows;
      const sizes = new Map<string, number>();
      for (const r of customers) sizes.set(r.segment, (sizes.get(r.segment) ?? 0) + 1);
      expect(sizes.size).toBe(5);
      const counts = [...sizes.values()].sort((x, y) => x - y);
      expect(counts[4]).toBeGreaterThan(2 * counts[0]);

      const dnc = customers.filter((r) => r.do_not_contact === "true").length / N;
      expect(Math.abs(dnc - 0.03)).toBeLessThan(0.01);

      const pairs = new Set(
        readCsv(a.path, "scores.csv").rows.map((r) => `${r.customer_id}|${r.offer_id}`),
      );
      const ineligible = 1 - pairs.size / (N * 11);
      expect(Math.abs(ineligible - 0.3)).toBeLessThan(0.03);
      expect(summary.ineligiblePairs).toBe(N * 11 - pairs.size);
    });

    it("writes the constraint set: budget $0.40 × N, 20% hurdle, one offer per customer", () => {
      const json: unknown = JSON.parse(readFileSync(join(a.path, "constraints.json"), "utf8"));
      const parsed = parseConstraintSet(json);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      expect(parsed.value).toMatchObject({
        objective: "EXPECTED_RETURN",
        budget: 0.4 * N,
        hurdleRate: 0.2,
        maxOffersPerCustomer: 1,
      });
    });
  });

  describe("hard profile", () => {
    const h = tempDir("hard");
    afterAll(() => h.remove());

    it("makes rich channels dearer and scarcer and raises the weak offers' minimums", async () => {
      await writeDataset({ customers: N, seed: 7, profile: "hard", outDir: h.path });
      const ch = Object.fromEntries(
        readCsv(h.path, "channels.csv").rows.map((r) => [r.channel_id, r]),
      );
      const chd = Object.fromEntries(
        readCsv(a.path, "channels.csv").rows.map((r) => [r.channel_id, r]),
      );
      for (const k of ["call_centre", "branch"]) {
        expect(Number(ch[k].cost_per_contact)).toBeGreaterThan(Number(chd[k].cost_per_contact));
        expect(Number(ch[k].capacity)).toBeLessThan(Number(chd[k].capacity));
        expect(Number(ch[k].response_factor)).toBeGreaterThan(Number(chd[k].response_factor));
      }
      const min = (dir: string, id: string) =>
        Number(readCsv(dir, "offers.csv").rows.find((o) => o.offer_id === id)?.min_volume);
      for (const id of ["dd_online", "inv_resp", "inv_gic"])
        expect(min(h.path, id)).toBeGreaterThan(min(a.path, id));
      // same customers and base scores: only channel economics and volumes differ
      expect(bytes(h.path, "customers.csv").equals(bytes(a.path, "customers.csv"))).toBe(true);
    });
  });
});
