/**
 * `npm run cluster`: the key server as a cluster on one machine, from the same pieces a production
 * deployment uses — MySQL/MariaDB (started here if it is not running), N stateless instances of
 * `server/main.ts` sharing one signing key and one code pepper, and Debian's nginx in front
 * (nginx.ts, with nginx.conf.template), caching batch bodies (immutable) and the batch list (for a
 * second). Prints the URL; Ctrl-C stops everything it started.
 *
 *   npm run cluster [-- --instances 3 --port 8088 --database mysql://root@127.0.0.1:3306/prtc_cluster]
 *
 * The same functions start the cluster for its test and its benchmark.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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

async function mysqlReachable(url: string): Promise<boolean> {
  try {
    const mysql = await import('mysql2/promise');
    const u = new URL(url);
    const c = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      connectTimeout: 1500,
    });
    await c.query(`CREATE DATABASE IF NOT EXISTS \`${u.pathname.slice(1)}\``);
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      instances: { type: 'string', default: '3' },
      port: { type: 'string', default: '8088' },
      database: { type: 'string', default: process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/prtc_cluster' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run cluster [-- --instances N] [--port P] [--database mysql://…]\n');
    return;
  }
  const n = Number(values.instances);
  const listen = Number(values.port);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error('--instances must be a whole number from 1 to 16');
  if (!Number.isInteger(listen) || listen < 1 || listen > 65535) throw new Error('--port must be a port number');
  const dir = join(ROOT, 'data/cluster');
  const url = values.database!;

  let startedMariadb = false;
  if (!(await mysqlReachable(url))) {
    if (!existsSync('/usr/sbin/mariadbd'))
      throw new Error(`${url} is unreachable and MariaDB is not installed (apt-get install mariadb-server)`);
    process.stdout.write('MariaDB is not running: starting it\n');
    spawnSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd'], { stdio: 'inherit' });
    startedMariadb = true;
    for (let k = 0; !(await mysqlReachable(url)); k++) {
      if (k > 60) throw new Error(`MariaDB did not come up at ${url}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const secrets = clusterSecrets(dir);
  const instances: Instance[] = [];
  // the first starts alone (it runs the migrations); the others follow
  for (let k = 0; k < n; k++) {
    instances.push(await startInstance({ ...secrets, DATABASE_URL: url, DATA_DIR: join(dir, `instance-${k + 1}`) }));
  }
  for (const [k, i] of instances.entries()) process.stdout.write(`instance ${k + 1}: ${i.url}\n`);
  const nginx = await startNginx({ listen, upstreams: instances.map((i) => i.port), prefix: join(dir, 'nginx') });
  process.stdout.write(`\nPrTC cluster: ${n} instances on ${url.replace(/\/\/[^@]*@/, '//')} behind nginx at ${nginx.url}\n`);
  process.stdout.write(`try: curl ${nginx.url}/v1/batches — Ctrl-C stops it all\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping nginx and the instances\n');
    await nginx.stop();
    await Promise.all(instances.map((i) => i.stop()));
    if (startedMariadb) {
      spawnSync('start-stop-daemon', ['--stop', '--oknodo', '--retry', '30', '--exec', '/usr/sbin/mariadbd'], { stdio: 'inherit' });
      process.stdout.write('stopped MariaDB (this command had started it)\n');
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  for (const i of instances)
    void i.proc.once('exit', (code) => !stopping && process.stdout.write(`an instance exited (${code}):\n${i.output().slice(-2000)}\n`));
}

// run as `npm run cluster` (not when bundled into the benchmark or imported by a test)
if (/deploy[\\/]cluster\.ts$/.test(process.argv[1] ?? '')) {
  main().catch((e) => {
    process.stderr.write(`cluster: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
