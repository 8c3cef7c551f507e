// Structured JSON logs on stdout (one object per line), level from LOG_LEVEL.
import pino, { type Logger } from "pino";

export function createLogger(name: string): Logger {
  return pino({
    name,
    level: process.env.LOG_LEVEL ?? "info",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
