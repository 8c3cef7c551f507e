// The CSV reader: RFC 4180 records with their physical line numbers, whatever the chunking, and
// the same records as csv-parse gives for the whole file.
import { parse } from "csv-parse/sync";
import { CsvRecordReader, type CsvRecord, type CsvSink } from "../../../src/ingest/csv-reader";

interface Read {
  records: { line: number; fields: string[]; plain: boolean }[];
  invalid: { line: number; message: string }[];
}

function read(input: string | Buffer, chunk?: number): Read {
  const out: Read = { records: [], invalid: [] };
  const sink: CsvSink = {
    stopped: false,
    record: (r: CsvRecord) => out.records.push({ line: r.line, fields: r.texts(), plain: r.plain }),
    invalid: (line, message) => out.invalid.push({ line, message }),
    chunkDone: () => undefined,
  };
  const reader = new CsvRecordReader(sink);
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const step = chunk ?? Math.max(1, bytes.length);
  for (let i = 0; i < bytes.length; i += step) reader.push(bytes.subarray(i, i + step));
  reader.end();
  return out;
}

const lines = (r: Read) => r.records.map((x) => [x.line, ...x.fields]);

describe("CSV reader", () => {
  it("reads plain records with their line numbers, LF or CRLF, last line without a break", () => {
    expect(lines(read("a,b\n1,2\r\n3,4"))).toEqual([
      [1, "a", "b"],
      [2, "1", "2"],
      [3, "3", "4"],
    ]);
  });

  it("skips a UTF-8 byte order mark", () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("id,x\nC1,é\n")]);
    expect(lines(read(withBom))).toEqual([
      [1, "id", "x"],
      [2, "C1", "é"],
    ]);
  });

  it("skips empty lines but counts them", () => {
    expect(lines(read("a\n\n\r\nb\n\n"))).toEqual([
      [1, "a"],
      [4, "b"],
    ]);
  });

  it("keeps empty cells", () => {
    expect(lines(read("a,,c\n,,\n"))).toEqual([
      [1, "a", "", "c"],
      [2, "", "", ""],
    ]);
  });

  it("reads quoted fields: commas, doubled quotes, line breaks, and counts lines after them", () => {
    const csv =
      'id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,"three\r\nlines\nhere"\n5,x\n';
    const r = read(csv);
    expect(r.invalid).toEqual([]);
    expect(lines(r)).toEqual([
      [1, "id", "text"],
      [2, "1", "a, b"],
      [3, "2", 'say "hi"'],
      [4, "3", "two\nlines"],
      [6, "4", "three\r\nlines\nhere"],
      [9, "5", "x"],
    ]);
  });

  it("flags records whose fields need escaping for COPY text", () => {
    const r = read('a,b\nx\\y,1\n"p\nq",2\n"plain, quoted",3\nt\tu,4\n');
    expect(r.records.map((x) => x.plain)).toEqual([true, false, false, true, false]);
  });

  it("reports bad quoting on its line and goes on with the next line", () => {
    const r = read('a,b\n1,x"y\n"2"z,1\n3,ok\n');
    expect(r.invalid).toEqual([
      { line: 2, message: expect.stringMatching(/quote/) },
      { line: 3, message: expect.stringMatching(/closing quote/) },
    ]);
    expect(lines(r)).toEqual([
      [1, "a", "b"],
      [4, "3", "ok"],
    ]);
  });

  it("reports a quote left open at the end of the file on the line where it opened", () => {
    const r = read('a\n1\n"open\nstill open\n');
    expect(r.invalid).toEqual([{ line: 3, message: expect.stringMatching(/not closed/) }]);
  });

  it("rejects a bare CR, a NUL byte and invalid UTF-8, record by record", () => {
    const bytes = Buffer.concat([
      Buffer.from("a,b\n1,x\ry\n2,n\0l\n3,"),
      Buffer.from([0xff, 0xfe]),
      Buffer.from("\n4,fine\n"),
    ]);
    const r = read(bytes);
    expect(r.invalid).toEqual([
      { line: 2, message: expect.stringMatching(/carriage return/) },
      { line: 3, message: expect.stringMatching(/NUL/) },
      { line: 4, message: "not valid UTF-8" },
    ]);
    expect(lines(r)).toEqual([
      [1, "a", "b"],
      [5, "4", "fine"],
    ]);
  });

  it("gives the same result for every chunking of the input", () => {
    const csv =
      '\ufeffid,"na,me",x\r\n1,"multi\r\nline ""q""",é€\r\n\r\n2,,"\n"\n3,"",z\r\n"4","a""",\r\n';
    const whole = read(csv);
    expect(whole.invalid).toEqual([]);
    for (const chunk of [1, 2, 3, 5, 7, 11, 64]) expect(read(csv, chunk)).toEqual(whole);
  });

  it("reads what csv-parse reads, on random RFC 4180 files", () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const pieces = ["a", "b", "7", ".", " ", ",", '"', "\n", "\r\n", "é", "€", "\\", "\t", ""];
    const field = () => {
      let s = "";
      for (let i = rnd(5); i > 0; i--) s += pieces[rnd(pieces.length)];
      return /[",\r\n]/.test(s) || rnd(8) === 0 ? `"${s.replace(/"/g, '""')}"` : s;
    };
    for (let file = 0; file < 300; file++) {
      const eol = rnd(2) ? "\n" : "\r\n";
      const width = 1 + rnd(4);
      let csv = rnd(4) === 0 ? "\ufeff" : "";
      for (let r = 1 + rnd(6); r > 0; r--) {
        const row = Array.from({ length: width }, field).join(",");
        csv += (row === "" ? '""' : row) + eol;
        if (rnd(6) === 0) csv += eol;
      }
      const expected = parse(csv, {
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
        info: true,
      }) as unknown as { record: string[]; info: { lines: number } }[];
      const got = read(csv, 1 + rnd(9));
      expect(got.invalid).toEqual([]);
      expect(got.records.map((r) => r.fields)).toEqual(expected.map((e) => e.record));
      // csv-parse counts the line a record ends on, and counts a CR inside quotes as a line
      // break of its own (CRLF as two); the reader gives the line a record starts on, counting LF
      let crs = 0;
      const endLines = got.records.map((r) => {
        const text = r.fields.join("");
        crs += text.split("\r").length - 1;
        return r.line + (text.split("\n").length - 1) + crs;
      });
      expect(endLines).toEqual(expected.map((e) => e.info.lines));
    }
  });
});
