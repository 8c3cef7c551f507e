// Row validation per file kind: what is staged for valid rows (as COPY values), and for every
// invalid cell the exact file, line, column and reason.
import { channelsKind } from "../../../src/ingest/rows/channels";
import { customersKind } from "../../../src/ingest/rows/customers";
import { offersKind } from "../../../src/ingest/rows/offers";
import { scoresKind } from "../../../src/ingest/rows/scores";
import { catalog, encode } from "./run-encoder";

const ids = catalog(["card", "loan"], ["mail", "branch"]);
const scores = (csv: string) => encode(scoresKind, csv, { catalog: ids });

describe("header", () => {
  it("maps columns in any order and letter case; extra columns become attributes", () => {
    const r = encode(
      customersKind,
      "Segment, CUSTOMER_ID ,region,do_not_contact\nmass,C1,north,\n",
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([["2", "C1", "mass", "f", '{"region":"north"}']]);
  });

  it("reports missing required columns on the header line", () => {
    const r = encode(scoresKind, "customer_id,channel_id,value\nC1,,1\n", { catalog: ids });
    expect(r.problems).toEqual([
      { file: "scores.csv", line: 1, column: "offer_id", message: "required column missing" },
      { file: "scores.csv", line: 1, column: "probability", message: "required column missing" },
    ]);
    expect(r.rows).toEqual([]);
  });

  it("reports duplicate and unnamed columns", () => {
    const r = encode(customersKind, "customer_id,segment,Segment,\nC1,a,b,c\n");
    expect(r.problems).toEqual([
      {
        file: "customers.csv",
        line: 1,
        column: "Segment",
        message: "column appears twice (columns 2 and 3)",
      },
      { file: "customers.csv", line: 1, column: "#4", message: "column 4 has no name" },
    ]);
  });

  it("reports an empty file", () => {
    expect(encode(channelsKind, "").problems).toEqual([
      {
        file: "channels.csv",
        line: 1,
        column: null,
        message: "the file is empty: a header row is required",
      },
    ]);
  });

  it("reports rows with another number of fields than the header", () => {
    const r = encode(customersKind, "customer_id,segment\nC1\nC2,a,b\nC3,c\n");
    expect(r.problems).toEqual([
      {
        file: "customers.csv",
        line: 2,
        column: null,
        message: "expected 2 fields as in the header, found 1",
      },
      {
        file: "customers.csv",
        line: 3,
        column: null,
        message: "expected 2 fields as in the header, found 3",
      },
    ]);
    expect(r.rows).toEqual([["4", "C3", "c", "f", null]]);
    expect(r.rowsRead).toBe(3);
  });
});

describe("channels.csv", () => {
  it("stages valid rows with defaults and attributes", () => {
    const r = encode(
      channelsKind,
      "channel_id,name,cost_per_contact,capacity,response_factor,owner\n" +
        " mail ,Direct mail,1,,,ops\nbranch,Branch,3.5,100000,2.2,\n",
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      ["2", "mail", "Direct mail", "1", null, "1", '{"owner":"ops"}'],
      ["3", "branch", "Branch", "3.5", "100000", "2.2", null],
    ]);
  });

  it("reports each invalid cell", () => {
    const r = encode(
      channelsKind,
      "channel_id,cost_per_contact,capacity,response_factor\n" +
        ",1,,\nx,-1,,\ny,,,\nz,1,1.5,\nw,1,-3,0\nv,abc,99999999999,-1\n",
    );
    const at = (line: number, column: string, message: string) => ({
      file: "channels.csv",
      line,
      column,
      message,
    });
    expect(r.problems).toEqual([
      at(2, "channel_id", "required value missing"),
      at(3, "cost_per_contact", "must be >= 0, got -1"),
      at(4, "cost_per_contact", "required value missing"),
      at(5, "capacity", 'must be a whole number >= 0, got "1.5"'),
      at(6, "capacity", "must be >= 0, got -3"),
      at(6, "response_factor", "must be > 0, got 0"),
      at(7, "cost_per_contact", 'not a number: "abc"'),
      at(7, "capacity", "must be at most 2147483647, got 99999999999"),
      at(7, "response_factor", "must be > 0, got -1"),
    ]);
    // rows with problems keep their id for the set-based checks, nothing else
    expect(r.rows[0]).toEqual(["3", "x", null, null, null, null, null]);
  });
});

describe("offers.csv", () => {
  it("stages offers and their channel lists; empty list = every channel", () => {
    const r = encode(
      offersKind,
      "offer_id,name,category,min_volume,max_volume,channels\n" +
        "card,Gold card, cards ,10,100, mail ; branch;mail\nloan,,,,,\n",
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      ["2", "card", "Gold card", "cards", "10", "100", "f", null],
      ["3", "loan", null, null, "0", null, "t", null],
    ]);
    expect(r.secondary).toEqual([
      ["2", "card", "mail"],
      ["2", "card", "branch"],
    ]);
  });

  it("rejects min_volume above max_volume and empty ids in the channel list", () => {
    const r = encode(offersKind, "offer_id,min_volume,max_volume,channels\na,5,4,\nb,,,mail;;x\n");
    expect(r.problems).toEqual([
      {
        file: "offers.csv",
        line: 2,
        column: "min_volume",
        message: "min_volume 5 is greater than max_volume 4",
      },
      {
        file: "offers.csv",
        line: 3,
        column: "channels",
        message: 'empty channel id in the list "mail;;x"',
      },
    ]);
  });
});

describe("customers.csv", () => {
  it("reads do_not_contact as true/false in any case, default false", () => {
    const r = encode(customersKind, "customer_id,do_not_contact\nA,TRUE\nB,false\nC,\nD,yes\n");
    expect(r.rows.slice(0, 3)).toEqual([
      ["2", "A", null, "t", null],
      ["3", "B", null, "f", null],
      ["4", "C", null, "f", null],
    ]);
    expect(r.problems).toEqual([
      {
        file: "customers.csv",
        line: 5,
        column: "do_not_contact",
        message: 'must be true or false, got "yes"',
      },
    ]);
  });

  it("keeps extra columns as string attributes, escaped for JSON and COPY", () => {
    const r = encode(
      customersKind,
      'customer_id,note,"we""ird"\nC1,"tab\there, ""quoted"", back\\slash\nline",x\n',
    );
    expect(r.problems).toEqual([]);
    expect(JSON.parse(r.rows[0]![4]!)).toEqual({
      note: 'tab\there, "quoted", back\\slash\nline',
      'we"ird': "x",
    });
  });
});

describe("scores.csv", () => {
  it("stages rows with offer and channel ids resolved; empty channel and cost are NULL", () => {
    const r = scores(
      "customer_id,offer_id,channel_id,probability,value,cost,model\n" +
        "C1,card,,0.25,100,,m1\nC1,loan,branch,1,-5.5,2.5,\n",
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      ["2", "C1", "1", null, "0.25", "100", null, '{"model":"m1"}'],
      ["3", "C1", "2", "2", "1", "-5.5", "2.5", null],
    ]);
  });

  it("reports each invalid cell with its column", () => {
    const r = scores(
      "customer_id,offer_id,channel_id,probability,value,cost\n" +
        'C1,card,,1.5,1,\nC2,card,,"0,5",1,\nC3,card,,NaN,Infinity,\nC4,card,,,1,-1\n' +
        ",,,0.1,1,\nC6,gold,fax,0.1,1,\n",
    );
    const at = (line: number, column: string, message: string) => ({
      file: "scores.csv",
      line,
      column,
      message,
    });
    expect(r.problems).toEqual([
      at(2, "probability", "must be between 0 and 1, got 1.5"),
      at(3, "probability", `not a number: "0,5" (use '.' as the decimal point)`),
      at(4, "probability", 'not a number: "NaN"'),
      at(4, "value", 'not a number: "Infinity"'),
      at(5, "probability", "required value missing"),
      at(5, "cost", "must be >= 0, got -1"),
      at(6, "customer_id", "required value missing"),
      at(6, "offer_id", "required value missing"),
      at(7, "offer_id", 'unknown offer "gold": not in offers.csv nor in the database'),
      at(7, "channel_id", 'unknown channel "fax": not in channels.csv nor in the database'),
    ]);
  });

  it("counts every problem but keeps the first 100", () => {
    const bad = Array.from({ length: 250 }, (_, i) => `C${i},card,,2,1,\n`).join("");
    const r = scores("customer_id,offer_id,channel_id,probability,value,cost\n" + bad);
    expect(r.problems).toHaveLength(100);
    expect(r.total).toBe(250);
    expect(r.problems[99]!.line).toBe(101);
  });

  it("stages the same bytes whatever the chunking of the input", () => {
    const csv =
      "customer_id,offer_id,channel_id,probability,value,cost\n" +
      Array.from(
        { length: 50 },
        (_, i) => `C${i},${i % 2 ? "card" : "loan"},${i % 3 ? "" : "mail"},0.${i},${i}.5,\r\n`,
      ).join("");
    const whole = scores(csv);
    for (const chunk of [1, 3, 17])
      expect(encode(scoresKind, csv, { catalog: ids, chunk })).toEqual(whole);
  });
});
