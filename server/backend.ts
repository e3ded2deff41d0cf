/**
 * The server without HTTP: configuration, database, secrets and the domains' services. The cloud
 * functions and the admin CLI open exactly this; `runtime.ts` adds HTTP and the scheduled jobs.
 * Nothing here imports the HTTP edge, so the cloud bundles carry neither Koa nor the portal's pages.
 */
import { systemClock, type Clock } from './clock';
import type { ServerConfig } from './config';
import { openDatabase, type Database } from './db/database';
import { createServices, type Services } from './domains';
import { loadSecrets } from './secrets';

export interface Backend {
  config: ServerConfig;
  database: Database;
  services: Services;
}

export interface BackendOptions {
  clock?: Clock;
  /** Told when the database can no longer be used (its file vanished); `npm start` logs and exits. */
  onFatal?: (reason: string) => void;
  /** Refuse to open a database that lost published batches (head-record.ts). Off only for the commands that restore them. */
  checkChain?: boolean;
}

export async function openBackend(config: ServerConfig, opts: BackendOptions | Clock = {}): Promise<Backend> {
  const o: BackendOptions = 'now' in opts ? { clock: opts as Clock } : (opts as BackendOptions);
  const database = await openDatabase(config.databaseUrl, {
    timeoutMs: config.dbTimeoutMs,
    onFatal: o.onFatal,
    replicaUrl: config.databaseReplicaUrl,
    minFreeBytes: config.readyMinFreeMb * 1024 * 1024,
  });
  try {
    const secrets = loadSecrets(config.dataDir, config.signingKey, config.codePepper);
    const services = createServices({ db: database, secrets, config, clock: o.clock ?? systemClock });
    if (o.checkChain !== false) await services.publishing.checkChain();
    return { config, database, services };
  } catch (e) {
    await database.close().catch(() => undefined);
    throw e;
  }
}
