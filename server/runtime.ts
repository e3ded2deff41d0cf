/**
 * The server's composition root: the backend (backend.ts: configuration, database, secrets, the
 * domains' services) plus HTTP and the scheduled jobs. Used by `main.ts`, the cluster, tests and the
 * demo, so they all run the same server; the admin CLI and the cloud functions open the backend alone.
 */
import { createServer, type Server } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { loadConfig, type ServerConfig } from './config';
import { createApp } from './http/app';
import { toPrtcError } from './http/edge';
import { asLogger, pinoLogger, type Logger } from './log';
import { openBackend, type Backend, type BackendOptions } from './backend';

export { openBackend, type Backend, type BackendOptions };

const netClose = NetServer.prototype.close;

export interface RunningServer extends Backend {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions extends BackendOptions {
  /** Where the server logs (a function takes every message as a line); null for nothing. Default: JSON lines (pino). */
  log?: ((l: string) => void) | Logger | null;
  env?: NodeJS.ProcessEnv;
  /** On close, how long open connections may still finish (answered with `Connection: close`) before they are cut (default: the keep-alive timeout + 1 s). */
  drainMs?: number;
}

/** Starts HTTP and the scheduled jobs. `port: 0` picks a free loopback port. */
export async function startServer(overrides: Partial<ServerConfig> = {}, opts: ServerOptions = {}): Promise<RunningServer> {
  const config = { ...loadConfig(opts.env ?? process.env), ...overrides };
  const log = opts.log === undefined ? pinoLogger(opts.env ?? process.env) : asLogger(opts.log);
  const backend = await openBackend(config, { clock: opts.clock, onFatal: opts.onFatal ?? ((reason) => log?.fatal(`fatal: ${reason}`)) });
  let draining = false;
  const app = createApp(backend.services, { log: config.accessLog ? log : null, errorLog: log, draining: () => draining });
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const timers: NodeJS.Timeout[] = [];
  const every = (seconds: number, name: string, job: () => Promise<unknown>) => {
    if (seconds <= 0) return;
    let running = false;
    const t = setInterval(() => {
      if (running) return;
      running = true;
      job()
        .then((r) => {
          if (Array.isArray(r) && r.length) log?.info(`${name}: published batch ${r.join(', ')}`, { job: name, batches: r.join(',') });
          if (name === 'alarm' && typeof r === 'number')
            log?.warn(`alarm: ${r} wrong upload codes in the last minute (brute force?)`, { job: name, wrongCodes: r });
        })
        .catch((e) => log?.error(`${name} failed: ${toPrtcError(e).message}`, { job: name }))
        .finally(() => {
          running = false;
        });
    }, seconds * 1000);
    // Node timers can be unref'd so they never keep the process alive; tests under jsdom get numbers.
    (t as { unref?: () => void }).unref?.();
    timers.push(t);
  };
  every(config.batchIntervalS, 'publish', () => backend.services.publishing.publish());
  every(config.retentionIntervalS, 'retention', () => backend.services.maintenance.retention());
  // checks often; signs only when the head's signature is HEAD_RESIGN_S old
  every(Math.min(60, config.headResignS), 'resign', () => backend.services.publishing.resignHead());
  every(60, 'alarm', () => backend.services.maintenance.wrongCodeAlarm());
  every(30, 'timings', () => backend.services.uploads.shareTimings());
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closed: Promise<void> | null = null;
  return {
    ...backend,
    server,
    url: `http://${host}:${port}`,
    close() {
      closed ??= (async () => {
        timers.forEach(clearInterval);
        // Draining. New connections are refused at once (a client or proxy retries elsewhere:
        // nothing was sent). Every answer now says `Connection: close`, so a keep-alive connection
        // ends after the request it carries. Idle keep-alive connections are left to end by
        // themselves (their next request is answered and closed, or the keep-alive timeout the
        // server announced ends them): closing them here would race with a request already on its
        // way, which its client would see as a reset. After `drainMs` whatever is left is closed.
        draining = true;
        await new Promise<void>((resolve) => {
          const force = setTimeout(
            () => {
              server.closeAllConnections();
              resolve();
            },
            opts.drainMs ?? server.keepAliveTimeout + 1000,
          );
          // net.Server's close, not http.Server's: that one also closes idle connections at once
          netClose.call(server, () => {
            clearTimeout(force);
            resolve();
          });
        });
        await backend.database.close();
      })();
      return closed;
    },
  };
}
