// Measures the demo-data generator: CSV writing and in-memory instance building.
//   npx tsx bench/generate-speed.ts [customers=100000] [profile=default] [outDir=/tmp/offerplan-gen-bench]
// Reports wall and CPU seconds (the machine is shared, so CPU time is the steadier figure).
import { rm } from "node:fs/promises";
import { datasetToInstance, writeDataset, type ProfileName } from "../src/generate";

async function main(): Promise<void> {
  const customers = Number(process.argv[2] ?? 100_000);
  const profile = (process.argv[3] ?? "default") as ProfileName;
  const outDir = process.argv[4] ?? "/tmp/offerplan-gen-bench";
  const perSecond = (n: number, s: number) => Math.round(n / s).toLocaleString("en");

  let cpu = process.cpuUsage();
  const s = await writeDataset({ customers, seed: 1, profile, outDir });
  let used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(
    `writeDataset ${customers.toLocaleString("en")} customers, ${s.scoreRows.toLocaleString("en")} score rows: ` +
      `${s.seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU; ` +
      `${perSecond(s.scoreRows, s.seconds)} rows/s, ${perSecond(customers, s.seconds)} customers/s (wall)`,
  );
  await rm(outDir, { recursive: true, force: true });

  cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  const d = datasetToInstance({ customers, seed: 1, profile });
  const wall = Number(process.hrtime.bigint() - t) / 1e9;
  used = process.cpuUsage(cpu);
  console.log(
    `datasetToInstance: ${d.instance.optReturn.length.toLocaleString("en")} options in ` +
      `${wall.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU; ` +
      `${perSecond(customers, wall)} customers/s`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
