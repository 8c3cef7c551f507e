// One dedicated connection that LISTENs on a few channels for as long as the process runs. A lost
// connection is re-opened with a growing pause; the owner hears when it stops and starts
// listening again, since notifications sent meanwhile are lost and it may have to catch up (drop
// a cache, re-read what it watches).
import { Client, type PoolConfig } from "pg";
import type { Logger } from "pino";

/** Longest pause between reconnection attempts: a restarted database is back within seconds. */
const MAX_RECONNECT_PAUSE_MS = 5_000;
/** First pause; it doubles with each failed attempt. */
const FIRST_RECONNECT_PAUSE_MS = 100;

export interface ListenerOwner {
  /** in the log: "run change listener" */
  name: string;
  /** the connection's application_name, to find it in pg_stat_activity */
  applicationName: string;
  /** logged each time it starts listening */
  listeningMessage: string;
  channels: string[];
  onNotification(channel: string, payload: string): void;
  /** before each attempt to connect and when the connection is lost: nothing is heard now */
  onNotListening?(): void;
  /** listening; `reconnect` after a loss, when notifications may have been missed */
  onListening?(reconnect: boolean): void;
}

export class PgListener {
  private client: Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    private readonly config: PoolConfig,
    private readonly log: Logger,
    private readonly owner: ListenerOwner,
  ) {}

  /** Connects and listens; rejects when the first connection fails (later ones are retried). */
  async start(): Promise<void> {
    await this.connect(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(reconnect: boolean): Promise<void> {
    if (this.stopped) return;
    const { name, channels } = this.owner;
    this.owner.onNotListening?.();
    const client = new Client({ ...this.config, application_name: this.owner.applicationName });
    client.on("notification", (n) => {
      if (channels.includes(n.channel)) this.owner.onNotification(n.channel, n.payload ?? "");
    });
    const lost = (e?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      this.owner.onNotListening?.();
      if (this.stopped) return;
      this.log.warn({ err: e?.message }, `${name} lost its connection`);
      this.scheduleReconnect();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    try {
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN ${channel}`);
    } catch (e) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      if (!reconnect) throw e;
      this.log.warn({ err: (e as Error).message }, `${name} cannot connect`);
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    this.owner.onListening?.(reconnect);
    this.log.info({ reconnect }, this.owner.listeningMessage);
  }

  private scheduleReconnect(): void {
    const pause = Math.min(FIRST_RECONNECT_PAUSE_MS * 2 ** this.failures++, MAX_RECONNECT_PAUSE_MS);
    this.retryTimer = setTimeout(() => void this.connect(true), pause);
  }
}
