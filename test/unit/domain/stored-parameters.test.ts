// A plan's parameters column reads back as one typed shape: a row written by the current release,
// a row stored before later fields existed (down to the column's default {}), and a damaged row,
// which is refused with the field that is wrong.
import { storedPlanParameters } from "../../../src/domain/stored-parameters";

describe("storedPlanParameters", () => {
  it("reads a row as the current release writes it", () => {
    const row = {
      method: "CLUSTER_LP",
      clusters: 20,
      disaggregation: "GREEDY",
      seed: 4,
      overrides: { budget: 30000 },
      campaignDate: "2026-12-01",
      warmStartFrom: 7,
      threads: 2,
      controlShare: 0.1,
      calibrationId: 3,
    };
    expect(storedPlanParameters(row)).toEqual(row);
  });

  it("reads a row stored before the later fields existed, and the column's default", () => {
    expect(storedPlanParameters({ method: "EXACT", seed: 1 })).toEqual({
      method: "EXACT",
      seed: 1,
    });
    expect(storedPlanParameters({})).toEqual({});
    expect(storedPlanParameters(null)).toEqual({});
  });

  it("reads a field stored as null as not given, and keeps fields it does not know", () => {
    expect(storedPlanParameters({ method: "GREEDY", clusters: null, retired: "x" })).toEqual({
      method: "GREEDY",
      retired: "x",
    });
  });

  it("refuses a damaged row, naming the field", () => {
    expect(() => storedPlanParameters({ method: "GREEDY", seed: "four" })).toThrow(
      /^plan\.parameters is not readable: .*\n.*at seed/s,
    );
    expect(() => storedPlanParameters({ method: "SIMPLEX" })).toThrow(/at method/);
    expect(() => storedPlanParameters({ overrides: [1] })).toThrow(/at overrides/);
    expect(() => storedPlanParameters([])).toThrow(/plan\.parameters is not readable/);
  });
});
