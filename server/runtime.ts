/**
 * The server's composition root: configuration, database, secrets, the domains' services, HTTP and
 * the scheduled jobs. Used by `main.ts`, the admin CLI, the cloud functions, tests and the demo, so
 * they all run the same server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from './clock';
import { loadConfig, type ServerConfig } from './config';
import { openDatabase, type Database } from './db/database';
import { createServices, type Services } from './domains';
import { createApp } from './http/app';
import { toPrtcError } from './http/edge';
import { loadSecrets } from './secrets';

export interface Backend {
  config: ServerConfig;
  database: Database;
  services: Services;
}

export async function openBackend(config: ServerConfig, clock: Clock = systemClock): Promise<Backend> {
  const database = await openDatabase(config.databaseUrl);
  const secrets = loadSecrets(config.dataDir, config.signingKey);
  return { config, database, services: createServices({ db: database, secrets, config, clock }) };
}

export interface RunningServer extends Backend {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts HTTP and the publish/retention timers. `port: 0` picks a free loopback port. */
export async function startServer(
  overrides: Partial<ServerConfig> = {},
  opts: { clock?: Clock; log?: ((l: string) => void) | null; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningServer> {
  const config = { ...loadConfig(opts.env ?? process.env), ...overrides };
  const backend = await openBackend(config, opts.clock);
  const log = opts.log === undefined ? (l: string) => process.stdout.write(l + '\n') : opts.log;
  const app = createApp(backend.services, { log: config.accessLog ? log : null, errorLog: log });
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
          if (Array.isArray(r) && r.length) log?.(`${name}: published batch ${r.join(', ')}`);
        })
        .catch((e) => log?.(`${name} failed: ${toPrtcError(e).message}`))
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
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closed = false;
  return {
    ...backend,
    server,
    url: `http://${host}:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      timers.forEach(clearInterval);
      // Stop accepting, let in-flight requests finish, then close idle keep-alive sockets and the pool.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await backend.database.close();
    },
  };
}
