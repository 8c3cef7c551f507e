// Instance-loader benchmark on a kept, imported database (imported once, see importedDatabase):
//   npm run bench -- load --customers 1000000 [--profile default|hard] [--repeat 3]
// Prints each load's phases, peak RSS, and a fingerprint of the instance so that a changed
// loader can be checked for identical output.
import { createHash } from "node:crypto";
import { Pool } from "pg";
import { loadInstance } from "../src/db/instance-loader";
import type { Instance } from "../src/optimize/instance";
import { argValue, importedDatabase } from "./support";
import { startRssSampler } from "./rss";

function fingerprint(ins: Instance): string {
  const h = createHash("sha256");
  h.update(JSON.stringify([ins.numCustomers, ins.offerIds, ins.channelIds, ins.segments]));
  for (const a of [
    ins.customerSegment,
    ins.customerKey,
    ins.custStart,
    ins.optOffer,
    ins.optChannel,
    ins.optReturn,
    ins.optCost,
  ])
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest("hex").slice(0, 16);
}

async function main() {
  const argv = process.argv.slice(2);
  const customers = Number(argValue(argv, "customers", "100000"));
  const profile = argValue(argv, "profile", "default") as "default" | "hard";
  const repeat = Number(argValue(argv, "repeat", "3"));
  const url = await importedDatabase(customers, 1, profile);
  const pool = new Pool({ connectionString: url, max: 4 });
  const rss = startRssSampler();
  try {
    for (let r = 0; r < repeat; r++) {
      const cpu0 = process.cpuUsage();
      const loaded = await loadInstance(pool);
      const cpu = process.cpuUsage(cpu0);
      const p = loaded.phases;
      console.log(
        `load ${loaded.seconds.toFixed(2)} s (Node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s): ` +
          Object.entries(p)
            .map(([k, v]) => `${k} ${v.toFixed(2)}`)
            .join(", ") +
          ` | ${loaded.instance.optOffer.length} options, fingerprint ${fingerprint(loaded.instance)}` +
          ` | peak RSS ${(rss.peak() / 2 ** 30).toFixed(2)} GiB`,
      );
    }
  } finally {
    rss.stop();
    await pool.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
