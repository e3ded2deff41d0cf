/**
 * `npm run cluster`: the key server as a cluster on one machine, from the same pieces a production
 * deployment uses — MySQL/MariaDB (started here if it is not running), N stateless instances of
 * `server/main.ts` sharing one signing key and one code pepper, and Debian's nginx in front,
 * caching batch bodies (immutable) and the batch list (for a second). Prints the URL; Ctrl-C stops
 * everything it started.
 *
 *   npm run cluster [-- --instances 3 --port 8088 --database mysql://root@127.0.0.1:3306/prtc_cluster]
 *
 * The same functions start the cluster for its test and its benchmark.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = (() => {
  for (let d = __dirname; d !== dirname(d); d = dirname(d)) if (existsSync(join(d, 'server/main.ts'))) return d;
  throw new Error('cannot find the repository root');
})();
export const NGINX = '/usr/sbin/nginx';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * nginx in front of the instances. No access log and no client address passed on: nginx sees
 * addresses, keeps none, forwards none (no X-Forwarded-For). Batch bodies never change once
 * published: cached for 30 days. The batch list changes with every publish and re-sign: cached for
 * 1 s, with one request to the instances per second however many phones ask (`proxy_cache_lock`,
 * stale copies served while one refreshes). Everything else goes straight through; an instance that
 * refuses connections is skipped (a request never sent is retried on the next one; one that was sent
 * is not, so no upload is sent twice by the proxy).
 */
export function nginxConfig(opts: { listen: number; upstreams: number[]; prefix: string; workers?: number; runAs?: string }): string {
  const p = opts.prefix;
  return `# written by tools/cluster.ts — see the README, "A cluster"
${opts.runAs ? `user ${opts.runAs};` : ''}
worker_processes ${opts.workers ?? 'auto'};
pid ${p}/nginx.pid;
# emerg only: nginx's error lines about a request name the client's address
error_log ${p}/error.log emerg;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${p}/tmp/body;
  proxy_temp_path ${p}/tmp/proxy;
  fastcgi_temp_path ${p}/tmp/fastcgi;
  uwsgi_temp_path ${p}/tmp/uwsgi;
  scgi_temp_path ${p}/tmp/scgi;
  proxy_cache_path ${p}/cache levels=1:2 keys_zone=prtc:16m max_size=2g inactive=15d use_temp_path=off;

  upstream prtc {
${opts.upstreams.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 64;
  }

  server {
    listen 127.0.0.1:${opts.listen};
    # the instances answer oversize bodies with the API's JSON 413 themselves
    client_max_body_size 128k;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_next_upstream error timeout;

    location ~ ^/v1/batches/[1-9][0-9]*$ {
      proxy_pass http://prtc;
      proxy_cache prtc;
      proxy_cache_valid 200 30d;
      proxy_cache_lock on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
    location = /v1/batches {
      proxy_pass http://prtc;
      proxy_cache prtc;
      proxy_ignore_headers Cache-Control Expires;
      proxy_cache_valid 200 1s;
      proxy_cache_lock on;
      proxy_cache_use_stale updating;
      proxy_cache_background_update on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
    location / {
      proxy_pass http://prtc;
    }
  }
}
`;
}

export interface Nginx {
  url: string;
  stop(): Promise<void>;
}

/** Starts nginx (in the foreground, as a child) with `nginxConfig` in `prefix`. */
export async function startNginx(opts: { listen: number; upstreams: number[]; prefix: string; workers?: number }): Promise<Nginx> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: install Debian's nginx (apt-get install nginx)`);
  const p = resolve(opts.prefix);
  for (const d of ['tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi', 'cache']) mkdirSync(join(p, d), { recursive: true });
  // as root, nginx's workers run as nobody: they need the cache and temporary folders
  const root = process.getuid?.() === 0;
  if (root) {
    const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim();
    const nogroup = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim();
    for (const d of ['tmp', 'tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi', 'cache'])
      chownSync(join(p, d), Number(nobody), Number(nogroup));
    // …and every folder above them must let them through
    for (let d = p; d !== dirname(d); d = dirname(d)) if ((statSync(d).mode & 0o005) !== 0o005) chmodSync(d, statSync(d).mode | 0o005);
  }
  const conf = join(p, 'nginx.conf');
  writeFileSync(conf, nginxConfig({ ...opts, prefix: p, runAs: root ? 'nobody nogroup' : undefined }));
  const check = spawnSync(NGINX, ['-t', '-q', '-p', p, '-e', join(p, 'error.log'), '-c', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx refused its configuration: ${check.stderr}`);
  const proc = spawn(NGINX, ['-p', p, '-e', join(p, 'error.log'), '-c', conf, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${opts.listen}`;
  for (let k = 0; ; k++) {
    try {
      await fetch(`${url}/healthz`);
      break;
    } catch {
      if (k > 100 || proc.exitCode !== null) throw new Error(`nginx did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((r) => {
        if (proc.exitCode !== null) return r();
        proc.once('exit', () => r());
        proc.kill('SIGQUIT'); // graceful: finishes what is in flight
      }),
  };
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
if (/tools[\\/]cluster\.ts$/.test(process.argv[1] ?? '')) {
  main().catch((e) => {
    process.stderr.write(`cluster: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
