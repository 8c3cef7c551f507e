// Measurement from cell counts: every level adds up to the plan, rates and uplift follow from
// the counts, empty groups give nulls rather than zeros.
import { measure, newcombeDifference, type ResultCell } from "../../../src/results";

const cell = (
  segment: string | null,
  offer: string,
  channel: string,
  t: [number, number, number],
  c: [number, number, number],
  predicted: [number, number],
): ResultCell => ({
  segment,
  offer,
  channel,
  treatment: { customers: t[0], responders: t[1], revenue: t[2] },
  control: { customers: c[0], responders: c[1], revenue: c[2] },
  predictedSum: predicted[0],
  predictedCount: predicted[1],
});

const CELLS = [
  cell("mass", "card", "mail", [100, 10, 500], [20, 1, 40], [8, 100]),
  cell("mass", "loan", "call", [50, 2, 900], [10, 0, 0], [4, 50]),
  cell(null, "card", "mail", [30, 3, 60], [0, 0, 0], [3, 30]),
  cell("affluent", "card", "call", [20, 4, 200], [5, 1, 10], [1, 19]),
];

describe("measure", () => {
  const r = measure(CELLS);

  it("adds every level up to the plan", () => {
    expect(r.total).toMatchObject({
      level: "total",
      segment: null,
      offer: null,
      channel: null,
      treatment: { customers: 200, responders: 19, revenue: 1660 },
      control: { customers: 35, responders: 2, revenue: 50 },
    });
    for (const level of [r.bySegment, r.byOffer, r.byChannel, r.cells]) {
      expect(level.reduce((s, x) => s + x.treatment.customers, 0)).toBe(200);
      expect(level.reduce((s, x) => s + x.control.responders, 0)).toBe(2);
    }
    expect(r.bySegment.map((x) => x.segment)).toEqual(["affluent", "mass", null]);
    expect(r.byOffer.map((x) => [x.offer, x.treatment.customers])).toEqual([
      ["card", 150],
      ["loan", 50],
    ]);
    expect(r.byChannel.map((x) => [x.level, x.channel, x.segment, x.offer])).toEqual([
      ["channel", "call", null, null],
      ["channel", "mail", null, null],
    ]);
    expect(r.cells.map((x) => x.level)).toEqual(["cell", "cell", "cell", "cell"]);
  });

  it("derives rates, uplift, revenue per customer and predicted vs actual from the counts", () => {
    const t = r.total;
    expect(t.treatment.responseRate).toBeCloseTo(19 / 200, 12);
    expect(t.control.responseRate).toBeCloseTo(2 / 35, 12);
    expect(t.uplift).toBeCloseTo(19 / 200 - 2 / 35, 12);
    const ci = newcombeDifference(19, 200, 2, 35)!;
    expect([t.upliftCiLow, t.upliftCiHigh]).toEqual([ci.low, ci.high]);
    expect(t.treatment.revenuePerCustomer).toBeCloseTo(1660 / 200, 12);
    expect(t.revenueUpliftPerCustomer).toBeCloseTo(1660 / 200 - 50 / 35, 12);
    // mean over the treatment assignments that have a prediction (199 of 200 here)
    expect(t.predictedResponseRate).toBeCloseTo(16 / 199, 12);
    expect(t.actualToPredicted).toBeCloseTo(19 / 200 / (16 / 199), 12);
  });

  it("gives nulls for a group without customers", () => {
    const noControl = r.cells.find((x) => x.segment === null)!;
    expect(noControl.control.responseRate).toBeNull();
    expect(noControl.control.revenuePerCustomer).toBeNull();
    expect(noControl.uplift).toBeNull();
    expect(noControl.upliftCiLow).toBeNull();
    expect(noControl.revenueUpliftPerCustomer).toBeNull();
    expect(noControl.treatment.responseRate).toBeCloseTo(0.1, 12);
    const empty = measure([]).total;
    expect(empty.treatment.customers).toBe(0);
    expect(empty.predictedResponseRate).toBeNull();
    expect(empty.actualToPredicted).toBeNull();
  });
});
