import { explainChoice, type ExplainInput } from "../../../src/optimize/explain";

const opt = (offer: string, channel: string, expectedReturn: number, cost: number) => ({
  offer,
  channel,
  expectedReturn,
  cost,
});

describe("explanation with contact policies", () => {
  const base: ExplainInput = {
    customerId: "c1",
    doNotContact: false,
    eligible: [opt("gold", "mail", 50, 1), opt("loan", "mail", 30, 1)],
    chosen: [opt("loan", "mail", 30, 1)],
    maxOffersPerCustomer: 1,
    method: "EXACT",
    pricing: {
      segment: null,
      hurdleRate: null,
      rules: [],
      report: [
        { name: "budget", kind: "budget", dual: 2 },
        { name: "custom:avg_risk", kind: "custom_capacity", dual: 10 },
      ],
    },
  };

  it("names the rule that forbids a better option and keeps it out of the runner-up", () => {
    const e = explainChoice({
      ...base,
      policies: {
        blocked: new Map([["gold\u0000mail", ["cool_off:90d"]]]),
        notes: ["cool_off:90d: gold was offered 12 days before the campaign"],
      },
    });
    expect(e.runnerUp).toBeNull();
    expect(e.options[0]).toMatchObject({ offer: "gold", blockedBy: ["cool_off:90d"] });
    expect(e.reason).toContain(
      "gold via mail would add 48.00 at the plan's prices but is not allowed: cool_off:90d",
    );
    expect(e.reason).toContain(
      "Contact policies: cool_off:90d: gold was offered 12 days before the campaign.",
    );
  });

  it("charges a custom capacity by the option's coefficient on it", () => {
    const loanFacts = { ...opt("loan", "mail", 30, 1), custom: { "custom:avg_risk": 0.5 } };
    const e = explainChoice({ ...base, eligible: [loanFacts], chosen: [loanFacts] });
    const loan = e.options.find((o) => o.offer === "loan")!;
    expect(loan.reducedValue).toBeCloseTo(30 - 2 * 1 - 10 * 0.5, 12);
    expect(loan.charges.map((c) => c.constraint)).toEqual(["budget", "custom:avg_risk"]);
  });
});
