// A plan's (and an analysis's) parameters column reads back as one typed shape: a row written by the current release,
// a row stored before later fields existed (down to the column's default {}), and a damaged row,
// which is refused with the field that is wrong.
import {
  storedAnalysisParameters,
  storedPlanParameters,
} from "../../../src/domain/stored-parameters";

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

describe("storedAnalysisParameters", () => {
  it("reads each kind's row and the column's default", () => {
    const frontier = { method: "EXACT", seed: 1, budgets: [1000, 1500.5] };
    expect(storedAnalysisParameters(frontier)).toEqual(frontier);
    const sweep = { method: "GREEDY", channelId: "branch", capacities: [10, 40] };
    expect(storedAnalysisParameters(sweep)).toEqual(sweep);
    expect(storedAnalysisParameters({})).toEqual({});
  });

  it("refuses a damaged row, naming the column and the field", () => {
    expect(() => storedAnalysisParameters({ budgets: [1, "2"] })).toThrow(
      /^analysis\.parameters is not readable: .*at budgets\[1\]/s,
    );
  });
});
