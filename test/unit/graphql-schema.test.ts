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
      "channels",
      "customer",
      "datasetSummary",
      "offers",
    ]);
    for (const name of ["Customer", "Offer", "Channel"])
      expect(isObjectType(schema.getType(name))).toBe(true);
  });
});
