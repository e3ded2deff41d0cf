/**
 * nginx in front of the instances: deploy/nginx.conf.template filled in, checked by nginx itself
 * (`nginx -t`) and run in the foreground as a child. Debian's nginx package.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './root';

export const NGINX = '/usr/sbin/nginx';
export const NGINX_TEMPLATE = join(ROOT, 'deploy/nginx.conf.template');

/**
 * `template` with each `{{name}}` replaced by `fields[name]`; a line whose field is a list is written
 * once per item, and left out for none. A field the template names but `fields` lacks, or a value
 * that could end a directive or open a block (`;`, braces, quotes, `#`, `$`, a line break), is an
 * error: nothing is written from a half-filled template.
 */
export function fillTemplate(template: string, fields: Record<string, string | number | (string | number)[]>): string {
  const out: string[] = [];
  for (const line of template.split('\n')) {
    const names = [...line.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
    for (const name of names) {
      if (!(name in fields)) throw new Error(`the template needs {{${name}}}`);
      for (const v of [fields[name]].flat())
        if (/[;{}"'#$\\\r\n]/.test(String(v)) || String(v).trim() === '')
          throw new Error(`{{${name}}}: ${JSON.stringify(v)} is not a value nginx can take`);
    }
    const lists = [...new Set(names.filter((n) => Array.isArray(fields[n])))];
    if (lists.length > 1) throw new Error(`one list per line: ${lists.join(', ')}`);
    const items = lists.length ? (fields[lists[0]] as (string | number)[]) : [null];
    for (const item of items)
      out.push(line.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(name === lists[0] ? item : fields[name])));
  }
  return out.join('\n');
}

/** The configuration for a proxy on 127.0.0.1:`listen` in front of instances on 127.0.0.1:`upstreams`, its files under `prefix`. */
export function nginxConfig(opts: { listen: number; upstreams: number[]; prefix: string; workers?: number; runAs?: string }): string {
  return fillTemplate(readFileSync(NGINX_TEMPLATE, 'utf8'), {
    user: opts.runAs ? [opts.runAs] : [],
    workers: opts.workers ?? 'auto',
    prefix: opts.prefix,
    upstream: opts.upstreams.map((port) => `127.0.0.1:${port}`),
    listen: `127.0.0.1:${opts.listen}`,
  });
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
