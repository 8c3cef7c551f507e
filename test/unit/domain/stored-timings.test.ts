import { storedTimings } from "../../../src/domain/stored-timings";

describe("storedTimings, the one reader of plan.timings", () => {
  test("a finished plan's seconds per phase come back as stored", () => {
    const row = { load: 3.48, cluster: 1.93, cluster_lp: 2.02, write: 1.54, total: 14.55 };
    expect(storedTimings(row)).toEqual(row);
  });

  test("a plan that never finished has none", () => {
    expect(storedTimings(null)).toBeNull();
    expect(storedTimings(undefined)).toBeNull();
  });

  test("a damaged row names the phase and says what is wrong", () => {
    expect(() => storedTimings({ load: 1, write: "2 s" })).toThrow(/plan\.timings.*write/s);
    expect(() => storedTimings({ load: -1 })).toThrow(/plan\.timings.*load/s);
    expect(() => storedTimings([1, 2])).toThrow(/plan\.timings/);
  });
});
