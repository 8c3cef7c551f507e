// Cursors come back from clients: a forged one, or one of another order, must be a client error
// on its argument, never a number the database cannot take (an internal error) nor a page that
// silently skips rows.
import { toClientError } from "../../src/graphql/errors";
import {
  decodeCursor,
  encodeCursor,
  pageRequest,
  toPage,
  type ConnectionArgs,
  type CursorPart,
} from "../../src/graphql/pagination";
import { RequestBudget } from "../../src/graphql/request-budget";

const forge = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString("base64url");
const ORDER = { name: "CUSTOMER:ASC", key: ["int", "int"] as CursorPart[] };

function refusal(f: () => unknown) {
  try {
    f();
  } catch (e) {
    return toClientError(e)?.extensions;
  }
  throw new Error("accepted");
}

const budget = () => new RequestBudget(1_000_000, 60_000);
const request = (args: ConnectionArgs) => pageRequest(args, ORDER, budget(), "Plan.assignments");

describe("decodeCursor", () => {
  it("reads back the cursors the lists hand out", () => {
    expect(decodeCursor(encodeCursor("X", [12, -1]), "X", ["int", "int"], "after")).toEqual([
      12, -1,
    ]);
    const at = "2026-03-01T09:30:00.000Z";
    expect(
      decodeCursor(encodeCursor("Y", [at, 0.25, 3]), "Y", ["date", "float", "int"], "after"),
    ).toEqual([at, 0.25, 3]);
  });

  it.each([
    [["X", 1e30, 1]],
    [["X", 1.5, 1]],
    [["X", 2147483648, 1]],
    [["X", -2147483649, 1]],
    [["X", "1", 1]],
    [["X", 1]],
    [[1, 1]],
    [{ 0: "X", 1: 1, 2: 1 }],
  ])("refuses a forged cursor %j as INVALID_CURSOR on its argument", (parts) => {
    expect(refusal(() => decodeCursor(forge(parts), "X", ["int", "int"], "after"))).toEqual({
      code: "INVALID_CURSOR",
      field: "after",
    });
  });

  it("refuses a cursor of another order, saying which", () => {
    const cursor = encodeCursor("EXPECTED_RETURN:DESC", [1.5, 1, 2]);
    expect(() => decodeCursor(cursor, "CUSTOMER:ASC", ["int", "int"], "before")).toThrow(
      "before: is a cursor of the order EXPECTED_RETURN:DESC, not of CUSTOMER:ASC: page from the start again",
    );
  });

  it("refuses a text part too long to be a key, and a date that is not an instant", () => {
    expect(
      refusal(() => decodeCursor(forge(["X", "x".repeat(10_000)]), "X", ["string"], "after")),
    ).toMatchObject({ code: "INVALID_CURSOR" });
    expect(
      refusal(() => decodeCursor(forge(["X", "yesterday"]), "X", ["date"], "after")),
    ).toMatchObject({ code: "INVALID_CURSOR" });
  });
});

describe("pageRequest", () => {
  it("pages forward by default, with the field's default size", () => {
    expect(request({})).toEqual({
      key: null,
      backward: false,
      limit: 101,
      size: 100,
      order: "CUSTOMER:ASC",
    });
  });

  it("pages backward from a cursor with last/before", () => {
    expect(request({ last: 5, before: encodeCursor("CUSTOMER:ASC", [7, 2]) })).toEqual({
      key: [7, 2],
      backward: true,
      limit: 6,
      size: 5,
      order: "CUSTOMER:ASC",
    });
  });

  it.each([
    [{ first: -1 }, "first", "first: must be a whole number from 0 to 1000"],
    [{ last: 1001 }, "last", "last: must be a whole number from 0 to 1000"],
    [{ first: 2, last: 2 }, "last", "last: give first or last, not both"],
    [{ after: "a", before: "b" }, "before", "before: give after or before, not both"],
    [
      { first: 2, before: "b" },
      "before",
      "before: pages backward: give it with last (after goes with first)",
    ],
    [
      { last: 2, after: "a" },
      "after",
      "after: pages forward: give it with first (before goes with last)",
    ],
  ])("refuses %j on %s", (args, field, message) => {
    expect(refusal(() => request(args))).toEqual({ code: "BAD_USER_INPUT", field });
    expect(() => request(args)).toThrow(message);
  });
});

describe("toPage", () => {
  const rows = [1, 2, 3, 4];
  const keyOf = (n: number) => [n, 0];

  it("forward: the extra row says there is a next page", () => {
    const page = toPage(rows, request({ first: 3 }), keyOf);
    expect(page.edges.map((e) => e.node)).toEqual([1, 2, 3]);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor("CUSTOMER:ASC", [1, 0]),
      endCursor: encodeCursor("CUSTOMER:ASC", [3, 0]),
    });
  });

  it("backward: rows read toward the start come back in list order", () => {
    const before = encodeCursor("CUSTOMER:ASC", [9, 0]);
    const page = toPage([8, 7, 6], request({ last: 2, before }), keyOf);
    expect(page.edges.map((e) => e.node)).toEqual([7, 8]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it("an empty page has no cursors", () => {
    expect(toPage([], request({ first: 0 }), keyOf).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });
});
