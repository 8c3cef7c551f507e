import { optimize, OptimizeError } from "../../../src/optimize/optimize";
import { buildCoupling } from "../../../src/optimize/coupling";
import { countingConflicts, diagnose } from "../../../src/optimize/diagnose";
import { createSolver } from "../../../src/optimize/lp/index";
import { bruteForce, randomInstance, unconstrained } from "./helpers";

describe("infeasibility diagnosis", () => {
  const inst = randomInstance(42, { customers: 7, offers: 3, channels: 2, dnc: 0 });
  // minimums on every offer whose cheapest options cost more than the budget
  const cons = unconstrained(inst, 1);
  cons.offerMin = Float64Array.from([2, 2, 2]);
  cons.budget = 5;

  test("brute force agrees the instance is infeasible", () => {
    expect(bruteForce(inst, cons).selected).toBeNull();
  });

  test("counting finds the budget conflict with both amounts", () => {
    const msgs = countingConflicts(inst, cons);
    expect(msgs.length).toBe(1);
    expect(msgs[0]).toMatch(/^offer minimums need \$\d[\d,]*; budget is \$5$/);
    const need = Number(msgs[0].match(/need \$([\d,]+)/)![1].replace(/,/g, ""));
    expect(need).toBeGreaterThan(5);
  });

  test("elastic LP names the budget and by how much it must rise", async () => {
    const d = await diagnose(inst, buildCoupling(inst, cons), cons, createSolver("highs"));
    expect(d.basis).toBe("individual");
    expect(d.relaxationFeasible).toBe(false);
    const budget = d.relaxations.find((r) => r.name === "budget");
    expect(budget).toBeDefined();
    expect(budget!.change).toBeGreaterThan(0);
    // with the budget raised by that much, the LP relaxation is feasible: the raise is at least
    // the cheapest cost of the minimums minus the budget, rounded by the LP
    const need = Number(d.messages[0].match(/need \$([\d,]+)/)![1].replace(/,/g, ""));
    expect(budget!.newBound).toBeGreaterThanOrEqual(need - 0.5);
    expect(d.message).toContain("budget must rise by $");
  });

  test.each(["GREEDY", "EXACT", "CLUSTER_LP"] as const)(
    "%s fails with the diagnosis",
    async (method) => {
      const run = optimize(inst, cons, { method, clusters: 3 });
      await expect(run).rejects.toBeInstanceOf(OptimizeError);
      await expect(run).rejects.toMatchObject({ code: "INFEASIBLE" });
      await expect(run).rejects.toThrow(/offer minimums need \$[\d,]+; budget is \$5/);
    },
  );

  test("minimum above the eligible customers and above the maximum", () => {
    const c = unconstrained(inst, 1);
    c.offerMin = Float64Array.from([100, 0, 3]);
    c.offerMax = Float64Array.from([Infinity, Infinity, 2]);
    const msgs = countingConflicts(inst, c);
    expect(
      msgs.some((m) =>
        /offer o0 needs at least 100 customers; only \d eligible|only \d are eligible/.test(m),
      ),
    ).toBe(true);
    expect(msgs).toContain("offer o2 has a minimum of 3 above its maximum of 2");
  });
});
