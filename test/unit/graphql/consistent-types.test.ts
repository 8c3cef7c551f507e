import { GraphQLScalarType, Kind } from "graphql";
import { typedAttributes } from "../../../src/domain/customer-attributes";
import { constraintKind, customCapacityField, planPhase } from "../../../src/graphql/enums";
import { contractJson } from "../../../src/graphql/resolvers/constraint-sets";
import { scalarResolvers } from "../../../src/graphql/resolvers/scalars";

const date = scalarResolvers.Date as GraphQLScalarType;
const dateTime = scalarResolvers.DateTime as GraphQLScalarType;

describe("Date", () => {
  it("takes a calendar day, or the UTC day of a date-time, and returns yyyy-mm-dd", () => {
    expect(date.parseValue("2026-03-01")).toBe("2026-03-01");
    expect(date.parseValue("2026-03-01T23:30:00-02:00")).toBe("2026-03-02");
    expect(date.parseLiteral({ kind: Kind.STRING, value: "2026-03-01T09:30:00Z" })).toBe(
      "2026-03-01",
    );
    expect(date.serialize("2026-03-01")).toBe("2026-03-01");
    expect(date.serialize(new Date("2026-03-01T09:30:00Z"))).toBe("2026-03-01");
  });

  it("refuses what is not a day, saying what it accepts", () => {
    for (const bad of ["2026-02-30", "01/03/2026", "2026-3-1", "tomorrow", "2026-02-30T00:00Z"])
      expect(() => date.parseValue(bad)).toThrow(
        `Date must be yyyy-mm-dd or an ISO-8601 date-time, got "${bad}"`,
      );
    expect(() => date.parseLiteral({ kind: Kind.INT, value: "20260301" })).toThrow(
      "Date must be a string",
    );
  });
});

describe("DateTime", () => {
  it("takes a bare day as midnight UTC", () => {
    expect((dateTime.parseValue("2026-03-01") as Date).toISOString()).toBe(
      "2026-03-01T00:00:00.000Z",
    );
  });
});

describe("enums over stored words", () => {
  it("upper-cases report kinds and run phases, and refuses a word the schema lacks", () => {
    expect(constraintKind("offers_per_customer")).toBe("OFFERS_PER_CUSTOMER");
    expect(planPhase("cluster_lp")).toBe("CLUSTER_LP");
    expect(planPhase(null)).toBeNull();
    expect(() => constraintKind("eligibility")).toThrow(
      'stored constraint kind "eligibility" has no value in the schema',
    );
  });

  it("gives a custom capacity's field to the contract JSON in its own spelling", () => {
    expect(customCapacityField("EXPECTED_RETURN")).toBe("expectedReturn");
    expect(
      contractJson({
        name: "x",
        budget: null,
        customCapacities: [
          { name: "spend", field: "COST", max: 5 },
          { name: "age", attribute: "age", field: null, max: 9 },
        ],
      }),
    ).toEqual({
      name: "x",
      customCapacities: [
        { name: "spend", field: "cost", max: 5 },
        { name: "age", attribute: "age", field: null, max: 9 },
      ],
    });
  });
});

describe("customer attributes", () => {
  it("are numbers where the cell is a plain decimal number, text otherwise", () => {
    expect(
      typedAttributes({
        tenure_years: "14",
        balance: "-1250.50",
        score: "1e3",
        branch_code: "007",
        household_id: "H12",
        blank: "",
        zero: "0",
        hex: "0x1f",
      }),
    ).toEqual({
      tenure_years: 14,
      balance: -1250.5,
      score: 1000,
      branch_code: "007",
      household_id: "H12",
      blank: "",
      zero: 0,
      hex: "0x1f",
    });
    expect(typedAttributes(null)).toBeNull();
  });
});
