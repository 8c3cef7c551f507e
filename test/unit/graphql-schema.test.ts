import { readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, isObjectType } from "graphql";

describe("schema.graphql", () => {
  it("is valid SDL with the contract's entry points", () => {
    const schema = buildSchema(
      readFileSync(path.join(__dirname, "..", "..", "schema.graphql"), "utf8"),
    );
    const query = schema.getQueryType();
    expect(Object.keys(query!.getFields()).sort()).toEqual([
      "analyses",
      "analysis",
      "apiKeys",
      "auditEvents",
      "channels",
      "comparePlans",
      "constraintSet",
      "constraintSetDiff",
      "constraintSetVersion",
      "constraintSets",
      "contactHistorySummary",
      "customer",
      "datasetSummary",
      "node",
      "nodes",
      "offers",
      "plan",
      "plans",
      "scoreCalibration",
      "viewer",
    ]);
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual([
      "approvePlan",
      "archiveConstraintSet",
      "cancelPlan",
      "commitPlan",
      "createApiKey",
      "createConstraintSet",
      "deletePlan",
      "importDataset",
      "importResponses",
      "patchConstraintSet",
      "recalibrateScores",
      "replayPlan",
      "restoreConstraintSetVersion",
      "reviseConstraintSet",
      "revokeApiKey",
      "runBudgetFrontier",
      "runCapacityPlanning",
      "runOfferMinimumCost",
      "runPlan",
      "unarchiveConstraintSet",
    ]);
    expect(Object.keys(schema.getSubscriptionType()!.getFields()).sort()).toEqual([
      "analysisUpdated",
      "planUpdated",
    ]);
    for (const name of [
      "Customer",
      "Offer",
      "Channel",
      "ConstraintSet",
      "ConstraintSetVersion",
      "Plan",
      "Cluster",
      "Proportion",
      "Assignment",
      "ConstraintReportRow",
      "OfferChannelFrequency",
      "ChannelProfitability",
      "SegmentSummary",
      "PlanComparison",
    ])
      expect(isObjectType(schema.getType(name))).toBe(true);
    const kpis = schema.getType("PlanKpis");
    if (!isObjectType(kpis)) throw new Error("PlanKpis is not an object type");
    expect(Object.keys(kpis.getFields())).toEqual(
      expect.arrayContaining(["expectedReturn", "cost", "roi", "contacts", "upperBound", "gap"]),
    );
    const report = schema.getType("ConstraintReportRow");
    if (!isObjectType(report)) throw new Error("ConstraintReportRow is not an object type");
    expect(Object.keys(report.getFields()).sort()).toEqual(
      [
        "activity",
        "binding",
        "bound",
        "clusterLpDual",
        "dual",
        "kind",
        "name",
        "reportOnly",
        "sense",
        "slack",
      ].sort(),
    );
  });
});
