// Cursors come back from clients: a forged one must be a client error on its argument, never a
// number the database cannot take (an internal error).
import { toClientError } from "../../src/graphql/errors";
import { decodeCursor, encodeCursor } from "../../src/graphql/pagination";

const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");

function refusal(after: string, types: ("int" | "string")[], field?: string) {
  try {
    decodeCursor(after, types, field);
  } catch (e) {
    return toClientError(e)?.extensions;
  }
  throw new Error("the cursor was accepted");
}

describe("decodeCursor", () => {
  it("reads back the cursors the lists hand out", () => {
    expect(decodeCursor(encodeCursor([12, -1]), ["int", "int"])).toEqual([12, -1]);
    expect(decodeCursor(encodeCursor(["a", 3]), ["string", "int"])).toEqual(["a", 3]);
    expect(decodeCursor(null, ["int"])).toBeNull();
  });

  it.each([
    [[1e30, 1]],
    [[1.5, 1]],
    [[2147483648, 1]],
    [[-2147483649, 1]],
    [[Number.MAX_SAFE_INTEGER + 2, 1]],
    [["1", 1]],
    [[1]],
    [{ 0: 1, 1: 1 }],
  ])("refuses a forged cursor %j as BAD_USER_INPUT on its argument", (key) => {
    expect(refusal(forge(key), ["int", "int"])).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "after",
    });
  });

  it("names the argument it was given", () => {
    expect(refusal(forge([1e30]), ["int"], "input.after")).toMatchObject({ field: "input.after" });
  });

  it("refuses a string part that is too long to be a key", () => {
    expect(refusal(forge(["x".repeat(10_000)]), ["string"])).toMatchObject({
      code: "BAD_USER_INPUT",
    });
  });
});
