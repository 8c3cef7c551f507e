// CPU seconds the PostgreSQL processes of one database spend, sampled from /proc while a
// benchmark runs (the server must run on this machine; elsewhere the sampler reports nothing).
// The backends are found by the database name in their process title, and their parallel
// workers by "parallel worker for PID <backend>": a worker's time counts for its backend.
// A sample is taken every SAMPLE_MS, so that a step's CPU can be read between two instants.
import { readdirSync, readFileSync } from "node:fs";

/** often enough to place each step's CPU within a quarter of a second, seldom enough to cost
 *  the benchmark little of its own CPU */
const SAMPLE_MS = 250;
/** /proc/<pid>/stat counts CPU in clock ticks of 1/100 s on Linux */
const TICKS_PER_SECOND = 100;

interface Sample {
  /** performance.now() of the sample */
  at: number;
  /** CPU seconds of the matched processes so far (processes that ended keep their last value) */
  cpu: number;
  /** CPU seconds of this Node process so far (all its threads) */
  node: number;
}

export class ServerCpu {
  readonly samples: Sample[] = [];
  private readonly lastSeen = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  /** readServer false: this process's CPU only (reading /proc costs this process CPU itself,
   *  about 4 % of a core here, which an import that Node's parsing paces would show) */
  constructor(
    private readonly database: string,
    private readonly readServer: boolean,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  /** server and Node CPU seconds between two performance.now() instants (nearest samples) */
  between(from: number, to: number): { server: number; node: number } {
    const a = this.at(from);
    const b = this.at(to);
    return { server: b.cpu - a.cpu, node: b.node - a.node };
  }

  private at(t: number): Sample {
    let best = this.samples[0];
    for (const s of this.samples) if (s.at <= t + SAMPLE_MS / 2) best = s;
    return best ?? { at: t, cpu: 0, node: 0 };
  }

  private sample(): void {
    if (this.readServer) for (const [pid, ticks] of this.processes()) this.lastSeen.set(pid, ticks);
    let total = 0;
    for (const ticks of this.lastSeen.values()) total += ticks;
    const own = process.cpuUsage();
    const node = (own.user + own.system) / 1e6;
    this.samples.push({ at: performance.now(), cpu: total / TICKS_PER_SECOND, node });
  }

  /** process titles by pid, read once per process (see titleOf) */
  private readonly titles = new Map<number, string>();

  /** the server's processes and their titles (several servers may run here: all are listed) */
  private children(): Map<number, string> {
    let pids: number[];
    try {
      pids = readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .map(Number);
    } catch {
      return new Map();
    }
    const now = new Map<number, string>();
    for (const pid of pids) {
      const title = this.titleOf(pid);
      if (title.startsWith("postgres: ")) now.set(pid, title);
    }
    for (const pid of this.titles.keys()) if (!now.has(pid)) this.titles.delete(pid);
    return now;
  }

  private titleOf(pid: number): string {
    const known = this.titles.get(pid);
    if (known !== undefined) return known;
    let title: string;
    try {
      title = readFileSync(`/proc/${pid}/cmdline`, "latin1");
    } catch {
      return "";
    }
    // a server process wears the postmaster's command line until it has its title; after that
    // a backend's title changes with its command, never its database
    if (title.startsWith("postgres: ") || !title.includes("postgres")) this.titles.set(pid, title);
    return title;
  }

  private processes(): Map<number, number> {
    const titles = this.children();
    const backends = [...titles].filter(([, t]) => t.includes(` ${this.database} `));
    const ours = new Set(backends.map(([pid]) => pid));
    for (const [pid, t] of titles) {
      const parent = /parallel worker for PID (\d+)/.exec(t);
      if (parent && ours.has(Number(parent[1]))) ours.add(pid);
    }
    const ticks = new Map<number, number>();
    for (const pid of ours) {
      const stat = statFields(pid);
      // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name
      if (stat) ticks.set(pid, Number(stat[11]) + Number(stat[12]));
    }
    return ticks;
  }
}

/** the fields of /proc/<pid>/stat after the command name (null: no such process) */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}
