/**
 * The server's log: structured JSON lines through pino, with levels (LOG_LEVEL: debug, info, warn,
 * error; default info) — and never an IP address, a user agent, a code or a token: callers pass only
 * the fields named here (method, path, status, ms, job). Tests and the demo use `lineLogger`, which
 * keeps the same messages as plain lines.
 */
import pino from 'pino';

export type LogFields = Record<string, string | number | boolean | null>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  fatal(msg: string, fields?: LogFields): void;
}

/** JSON lines on stdout: {"level":"info","time":"…","msg":"…", …fields}. No pid, no host name. */
export function pinoLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const p = pino({
    level: env.LOG_LEVEL || 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
  return {
    info: (msg, f) => p.info(f ?? {}, msg),
    warn: (msg, f) => p.warn(f ?? {}, msg),
    error: (msg, f) => p.error(f ?? {}, msg),
    fatal: (msg, f) => p.fatal(f ?? {}, msg),
  };
}

/** Each message as a plain line (tests, the demo). */
export function lineLogger(write: (line: string) => void): Logger {
  return { info: write, warn: write, error: write, fatal: write };
}

/** A function or a logger, as the server's options allow. */
export function asLogger(log: ((line: string) => void) | Logger | null | undefined): Logger | null {
  if (log === null || log === undefined) return null;
  return typeof log === 'function' ? lineLogger(log) : log;
}
