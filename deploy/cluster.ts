/**
 * `npm run cluster`: the key server as a cluster on one machine, from the same pieces a production
 * deployment uses — MariaDB as a primary and a semi-synchronous replica (mariadb.ts), N stateless
 * instances of `server/main.ts` sharing one signing key and one code pepper, writing to the primary
 * and reading what phones download from the replica, and Debian's nginx in front (nginx.ts, with
 * nginx.conf.template), caching batch bodies (immutable) and batch lists (a second). Prints the URL;
 * Ctrl-C stops everything it started.
 *
 *   npm run cluster [-- --instances 3 --port 8088]              a primary and a replica of its own, under data/cluster/mariadb
 *   npm run cluster -- --database mysql://… [--replica mysql://…]   servers you run (replication set up when --replica is given)
 *   npm run cluster -- promote mysql://…                         the primary died: its replica becomes the primary
 *
 * The same functions start the cluster for its tests and its benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, promote, replicate, startMariadb, type Mariadb } from './mariadb';
import { startNginx } from './nginx';
import { ROOT } from './root';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface Instance {
  port: number;
  url: string;
  proc: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts one stateless instance of the key server (`node --import tsx server/main.ts`). */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port) },
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  await new Promise<void>((resolveStart, reject) => {
    const look = () => /listening on/.test(out) && resolveStart();
    proc.stdout!.on('data', look);
    void exited.then((code) => reject(new Error(`an instance exited (${code}) before listening: ${out}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    proc,
    output: () => out,
    stop: (signal = 'SIGTERM') => {
      if (proc.exitCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** The shared secrets of a cluster, kept in `dir/secrets.json` (mode 0600) so a restart keeps them. */
export function clusterSecrets(dir: string): { SIGNING_KEY: string; CODE_PEPPER: string } {
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(dir, { recursive: true });
  const secrets = { SIGNING_KEY: randomBytes(32).toString('base64url'), CODE_PEPPER: randomBytes(32).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets) + '\n', { mode: 0o600 });
  return secrets;
}

/** The local pair's layout, kept in data/cluster/mariadb/roles.json: which folder is the primary, which the replica. */
interface LocalRoles {
  primary: { dir: string; port: number; serverId: number };
  replica: { dir: string; port: number; serverId: number } | null;
}

/**
 * The local primary and replica (data/cluster/mariadb): started in the roles roles.json gives them
 * (first run: server 1 on `basePort`, server 2 on `basePort + 1`), replication checked or set up.
 * After a promotion roles.json names no replica: a new one is made from the primary's binary log
 * (which holds everything since the first start) on the port the old primary had.
 */
async function startLocalPair(dir: string, basePort: number): Promise<{ primary: Mariadb; replica: Mariadb; database: string }> {
  const file = join(dir, 'roles.json');
  const roles: LocalRoles = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : { primary: { dir: 'server-1', port: basePort, serverId: 1 }, replica: { dir: 'server-2', port: basePort + 1, serverId: 2 } };
  const database = 'prtc_cluster';
  const primary = await startMariadb({ ...roles.primary, dir: join(dir, roles.primary.dir), role: 'primary', database });
  let replica: Mariadb | null = null;
  try {
    replica = await startReplica();
    await replicate(primary.url, replica.url);
    await createDatabase(primary.url);
  } catch (e) {
    await Promise.all([primary.stop(), replica?.stop()]);
    throw e;
  }
  writeFileSync(file, JSON.stringify(roles, null, 2) + '\n');
  return { primary, replica, database };

  function startReplica() {
    if (!roles.replica) {
      const serverId = roles.primary.serverId + 1;
      const port = roles.primary.port === basePort ? basePort + 1 : basePort;
      roles.replica = { dir: `server-${serverId}`, port, serverId };
      process.stdout.write(`no replica since the promotion: making a new one (${roles.replica.dir}, port ${port})\n`);
    }
    return startMariadb({ ...roles.replica, dir: join(dir, roles.replica.dir), role: 'replica', database });
  }
}

/**
 * `promote <url>`: the replica at `url` becomes the primary (mariadb.ts, `promote`). When it is the
 * local pair's replica, roles.json is updated and the old primary's folder set aside (it may hold a
 * transaction the replica never received, so it must not come back as it is).
 */
async function promoteCommand(url: string): Promise<void> {
  const { gtid, waitedMs } = await promote(url);
  process.stdout.write(
    `promoted: ${url.replace(/\/\/[^@]*@/, '//')} is the primary now, at GTID ${gtid} (applied its relay log in ${waitedMs} ms)\n`,
  );
  process.stdout.write('it runs on one copy until a replica is attached; restart the instances with DATABASE_URL pointing at it\n');
  const dir = join(ROOT, 'data/cluster/mariadb');
  const file = join(dir, 'roles.json');
  if (!existsSync(file)) return;
  const roles = JSON.parse(readFileSync(file, 'utf8')) as LocalRoles;
  if (!roles.replica || Number(new URL(url).port) !== roles.replica.port) return;
  const old = roles.primary;
  renameSync(join(dir, old.dir), join(dir, `${old.dir}.retired-${Date.now()}`));
  writeFileSync(file, JSON.stringify({ primary: roles.replica, replica: null }, null, 2) + '\n');
  process.stdout.write(
    `the local pair: ${roles.replica.dir} is its primary; \`npm run cluster\` makes it a new replica (${old.dir} was set aside)\n`,
  );
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      instances: { type: 'string', default: '3' },
      port: { type: 'string', default: '8088' },
      database: { type: 'string' },
      replica: { type: 'string' },
      'db-port': { type: 'string', default: '3307' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run cluster [-- --instances N] [--port P] [--db-port 3307]       a local primary and replica under data/cluster/mariadb\n' +
        '       npm run cluster -- --database mysql://… [--replica mysql://…]   servers you run\n' +
        '       npm run cluster -- promote mysql://…                            the primary died: this replica becomes the primary\n',
    );
    return;
  }
  if (positionals[0] === 'promote') {
    if (!positionals[1]) throw new Error('promote needs the replica: npm run cluster -- promote mysql://user@host:port/db');
    return promoteCommand(positionals[1]);
  }
  if (positionals.length) throw new Error(`unknown command ${positionals[0]} (see --help)`);
  const n = Number(values.instances);
  const listen = Number(values.port);
  const dbPort = Number(values['db-port']);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error('--instances must be a whole number from 1 to 16');
  if (!Number.isInteger(listen) || listen < 1 || listen > 65535) throw new Error('--port must be a port number');
  if (!Number.isInteger(dbPort) || dbPort < 1 || dbPort > 65534) throw new Error('--db-port must be a port number');
  if (values.replica && !values.database) throw new Error('--replica goes with --database (the primary it replicates)');
  const dir = join(ROOT, 'data/cluster');

  const started: Mariadb[] = [];
  let primaryUrl: string;
  let replicaUrl: string | null = values.replica ?? null;
  if (values.database) {
    primaryUrl = values.database;
    if (replicaUrl) {
      await replicate(primaryUrl, replicaUrl);
      await createDatabase(primaryUrl);
    }
  } else {
    const pair = await startLocalPair(join(dir, 'mariadb'), dbPort);
    started.push(pair.primary, pair.replica);
    primaryUrl = pair.primary.url;
    replicaUrl = pair.replica.url;
    process.stdout.write(`MariaDB: primary ${pair.primary.url}, replica ${pair.replica.url} (semi-synchronous, GTID)\n`);
  }
  const instances: Instance[] = [];
  try {
    await startInstancesAndProxy();
  } catch (e) {
    // nothing left running behind a failed start
    await Promise.all(instances.map((i) => i.stop('SIGKILL')));
    await Promise.all(started.map((m) => m.stop()));
    throw e;
  }
  async function startInstancesAndProxy() {
    const secrets = clusterSecrets(dir);
    const env = { ...secrets, DATABASE_URL: primaryUrl, ...(replicaUrl ? { DATABASE_REPLICA_URL: replicaUrl } : {}) };
    // the first starts alone (it runs the migrations); the others follow
    for (let k = 0; k < n; k++) instances.push(await startInstance({ ...env, DATA_DIR: join(dir, `instance-${k + 1}`) }));
    for (const [k, i] of instances.entries()) process.stdout.write(`instance ${k + 1}: ${i.url}\n`);
    const nginx = await startNginx({ listen, upstreams: instances.map((i) => i.port), prefix: join(dir, 'nginx') });
    const where = (u: string) => u.replace(/\/\/[^@]*@/, '//');
    process.stdout.write(
      `\nPrTC cluster: ${n} instances on ${where(primaryUrl)}${replicaUrl ? ` (reading from ${where(replicaUrl)})` : ''} behind nginx at ${nginx.url}\n`,
    );
    process.stdout.write(`try: curl ${nginx.url}/v1/batches — Ctrl-C stops it all\n`);
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('\nstopping nginx and the instances\n');
      await nginx.stop();
      await Promise.all(instances.map((i) => i.stop()));
      if (started.length) {
        await Promise.all(started.map((m) => m.stop()));
        process.stdout.write('stopped MariaDB (the primary and the replica this command had started)\n');
      }
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    for (const i of instances)
      void i.proc.once('exit', (code) => !stopping && process.stdout.write(`an instance exited (${code}):\n${i.output().slice(-2000)}\n`));
    for (const m of started)
      void m.proc.once('exit', () => !stopping && process.stdout.write(`MariaDB on port ${m.port} exited:\n${m.log().slice(-1000)}\n`));
  }
}

// run as `npm run cluster` (not when bundled into the benchmark or imported by a test)
if (/deploy[\\/]cluster\.ts$/.test(process.argv[1] ?? '')) {
  main().catch((e) => {
    process.stderr.write(`cluster: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
