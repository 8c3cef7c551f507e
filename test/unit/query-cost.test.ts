// The query cost is computed with the request's variables, so a page size written as a variable
// costs what the same literal does; calibrated so the documented page passes and pages of pages
// do not.
import { readFileSync } from "node:fs";
import {
  buildSchema,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from "graphql";
import { operationCost } from "../../src/graphql/query-cost";
import { DEFAULT_LIMITS, SCHEMA_FILE } from "../../src/server/app";

const schema = buildSchema(readFileSync(SCHEMA_FILE, "utf8"));

function cost(query: string, variables?: Record<string, unknown>): number | null {
  const doc = parse(query);
  const op = doc.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return operationCost(schema, op, fragments, variables);
}

const DOCUMENTED_PAGE = `{ plan(id: "1") { assignments(first: 1000) { edges { node {
  customer { id segment } offer { id name } channel { id } expectedReturn cost } } } } }`;

const NESTED = `query ($n: Int, $m: Int, $k: Int) {
  plans(first: $n) { edges { node { assignments(first: $m) { edges { node {
    customer { assignments(first: $k) { edges { node { expectedReturn } } } } } } } } } }
}`;

describe("operationCost", () => {
  it("costs the documented page of 1,000 at 4,001 objects, under the limit", () => {
    expect(cost(DOCUMENTED_PAGE)).toBe(4001);
    expect(cost(DOCUMENTED_PAGE)!).toBeLessThanOrEqual(DEFAULT_LIMITS.maxCost);
  });

  it("reads page sizes from variables, as literals would be", () => {
    const withVars = cost(NESTED, { n: 1000, m: 1000, k: 1000 })!;
    const literal = cost(
      NESTED.replace(/\(\$n: Int, \$m: Int, \$k: Int\) /, "").replace(/\$[nmk]\b/g, "1000"),
      {},
    )!;
    expect(withVars).toBe(literal);
    // plans 1,000 + assignments 10^6 + customers 10^6 + their assignments 10^9
    expect(withVars).toBe(1000 + 1e6 + 1e6 + 1e9);
    expect(withVars).toBeGreaterThan(DEFAULT_LIMITS.maxCost);
    // absent variables fall back to each connection's default page (20, 100, 20)
    expect(cost(NESTED, {})).toBe(20 + 2000 + 2000 + 40_000);
  });

  it("prices a page asked with last as one asked with first", () => {
    const backward = NESTED.replace(/first:/g, "last:");
    expect(cost(backward, { n: 3, m: 5, k: 7 })).toBe(cost(NESTED, { n: 3, m: 5, k: 7 }));
    expect(cost(backward, { n: 3, m: 5, k: 7 })).toBe(3 + 15 + 15 + 105);
  });

  it("adds aliases and fragments, leaves out @skip and @include(if: false)", () => {
    const one = cost(DOCUMENTED_PAGE)!;
    const two = `{ a: ${DOCUMENTED_PAGE.slice(1, -1)} b: ${DOCUMENTED_PAGE.slice(1, -1)} }`;
    expect(cost(two)).toBe(2 * one);
    const frag = `query ($s: Boolean!) { plan(id: "1") { ...P } }
      fragment P on Plan { assignments(first: 10) @skip(if: $s) { edges { node { ... on Assignment { offer { id } } } } } }`;
    expect(cost(frag, { s: false })).toBe(1 + 10 + 10);
    expect(cost(frag, { s: true })).toBe(1);
  });

  it("assumes a length for lists without `first` and counts no scalars or wrappers", () => {
    expect(cost(`{ offers { id channels { id } } }`)).toBe(50 + 50 * 50);
    expect(
      cost(`{ viewer { name } plans(first: 5) { totalCount pageInfo { hasNextPage } } }`),
    ).toBe(1);
  });

  it("is null when the variables do not coerce (execution reports it)", () => {
    expect(cost(NESTED, { n: "lots" })).toBeNull();
  });
});
