import { toClientError } from "../../../src/graphql/errors";
import { globalId, keyOf, parseGlobalId, parseId } from "../../../src/graphql/global-id";

function refusal(f: () => unknown) {
  try {
    f();
  } catch (e) {
    return { message: (e as Error).message, ...toClientError(e)?.extensions };
  }
  throw new Error("accepted");
}

describe("global ids", () => {
  it("are <type>:<key>, read back whole", () => {
    expect(globalId("Plan", 42)).toBe("Plan:42");
    expect(parseGlobalId("Customer:C:001", "id")).toEqual({ type: "Customer", key: "C:001" });
  });

  it.each(["42", "Plan", "Plan:", ":42", "Bogus:42", "plan:42", ""])(
    "refuses %j as a global id on its argument",
    (value) => {
      expect(refusal(() => parseGlobalId(value, "ids.1"))).toEqual({
        code: "BAD_USER_INPUT",
        field: "ids.1",
        message: expect.stringContaining(`ids.1: "${value}" is not a global id`),
      });
    },
  );

  it("an argument of one type takes its global id or the bare key", () => {
    expect(parseId("Plan:42", "id", "Plan")).toBe(42);
    expect(parseId("42", "id", "Plan")).toBe(42);
    expect(keyOf("Offer:resp", "filter.offerId", "Offer")).toBe("resp");
    expect(keyOf("resp", "filter.offerId", "Offer")).toBe("resp");
  });

  it("refuses another type's id, and a key that is not a database id", () => {
    expect(refusal(() => parseId("Analysis:3", "id", "Plan"))).toEqual({
      code: "BAD_USER_INPUT",
      field: "id",
      message: 'id: "Analysis:3" is the id of an object of type Analysis, not Plan',
    });
    expect(refusal(() => parseId("Plan:-1", "a", "Plan"))).toEqual({
      code: "BAD_USER_INPUT",
      field: "a",
      message: 'a: "Plan:-1" is not a Plan id',
    });
    expect(refusal(() => parseId("2147483648", "id", "Plan"))).toMatchObject({ field: "id" });
  });
});
