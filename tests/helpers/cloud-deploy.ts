/**
 * The cloud functions as WeChat's cloud receives and runs them, reproduced here:
 *
 * - each built folder (dist/cloud-functions/<name>) is copied to an empty folder outside the
 *   repository, and what its package.json declares is installed from the registry with install
 *   scripts disabled (`npm install --omit=dev --ignore-scripts`), nothing else;
 * - each call runs in a process of its own (an instance), from a folder mounted read-only when the
 *   machine allows it (root), with only its TMPDIR writable;
 * - the caller's context comes as the platform gives it, in environment variables that
 *   `wx-server-sdk`'s getWXContext reads (WX_CONTEXT_KEYS and the keys it lists, TCB_SOURCE) and
 *   TRIGGER_SRC for a timer, plus `userInfo` in the event for a mini-program's call.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BUILT = join(__dirname, '../../dist/cloud-functions');
export const NAMES = [
  'issueCode',
  'uploadKeys',
  'warnVenue',
  'listBatches',
  'getBatch',
  'listRegionBatches',
  'getRegionBatch',
  'regions',
  'publicKey',
  'getConfig',
  'publish',
  'retention',
];

function npmInstall(dir: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const p = spawn(
      'npm',
      ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'],
      {
        cwd: dir,
        env: { ...process.env, npm_config_ignore_scripts: 'true' },
      },
    );
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm install in ${dir} failed (${code}): ${err}`))));
  });
}

function requireBuilt() {
  if (!existsSync(join(BUILT, 'publicKey/index.js'))) throw new Error('dist/cloud-functions is missing: run `npm run build:cloud` first');
}

/** Copies every built function into `dest/<name>` and installs its declared dependencies there (4 at a time). */
export async function copyOutAndInstall(dest: string): Promise<{ ms: number }> {
  requireBuilt();
  const started = Date.now();
  const queue = [...NAMES];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const dir = join(dest, name);
        cpSync(join(BUILT, name), dir, { recursive: true });
        await npmInstall(dir);
      }
    }),
  );
  return { ms: Date.now() - started };
}

/**
 * For the suites that only need working functions (the deployment test makes its own, strictly per
 * function): the built folders copied out once per build (keyed by the built files' hash), with
 * their declared dependencies installed once into the parent folder's node_modules, where Node's
 * resolution finds them from every function.
 */
export async function sharedDeployment(): Promise<string> {
  requireBuilt();
  const hash = createHash('sha256');
  for (const name of NAMES) for (const f of readdirSync(join(BUILT, name)).sort()) hash.update(readFileSync(join(BUILT, name, f)));
  const dir = join(tmpdir(), `prtc-cloud-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  const work = mkdtempSync(join(tmpdir(), 'prtc-cloud-work-'));
  const dependencies: Record<string, string> = {};
  for (const name of NAMES) {
    cpSync(join(BUILT, name), join(work, name), { recursive: true });
    Object.assign(dependencies, JSON.parse(readFileSync(join(BUILT, name, 'package.json'), 'utf8')).dependencies);
  }
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'prtc-cloud-shared', private: true, dependencies }));
  await npmInstall(work);
  writeFileSync(join(work, '.complete'), '');
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another suite finished first: use its copy
  }
  return dir;
}

/** Who calls, as the platform tells the instance. */
export type Caller =
  | { kind: 'timer' }
  | { kind: 'miniprogram'; openId: string }
  | { kind: 'operator' } // an admin call through WeChat's HTTP API
  | { kind: 'none' }; // an instance with no platform context at all

export function platformEnv(caller: Caller): Record<string, string> {
  if (caller.kind === 'timer') return { TRIGGER_SRC: 'timer', TCB_SOURCE: 'wx_trigger', WX_CONTEXT_KEYS: 'WX_APPID', WX_APPID: 'wxprtc' };
  if (caller.kind === 'miniprogram')
    return {
      TCB_SOURCE: 'wx_client',
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP',
      WX_OPENID: caller.openId,
      WX_APPID: 'wxprtc',
      WX_UNIONID: `u-${caller.openId}`,
      WX_CLIENTIP: '203.0.113.9',
    };
  if (caller.kind === 'operator') return { TCB_SOURCE: 'wx_http', WX_CONTEXT_KEYS: 'WX_APPID', WX_APPID: 'wxprtc' };
  return {};
}

/** The event a caller's call arrives as: a mini-program's gets `userInfo` added by the platform. */
export function platformEvent(caller: Caller, data: Record<string, unknown>): Record<string, unknown> {
  if (caller.kind === 'miniprogram') return { ...data, userInfo: { appId: 'wxprtc', openId: caller.openId } };
  if (caller.kind === 'timer') return { Type: 'timer', TriggerName: 'every10min', Time: new Date().toISOString() };
  return data;
}

const RUNNER = `
const [dir, eventJson, closeAfter] = process.argv.slice(2);
process.chdir(dir);
const fn = require(dir + '/index.js');
fn.main(JSON.parse(eventJson), {}).then(async (result) => {
  process.stdout.write(JSON.stringify(result === undefined ? null : result));
  if (closeAfter === '1') await fn.close();
});
`;

let readOnly: boolean | null = null;
/** Mounts `dir` read-only onto itself (root only); says whether it could. */
export function mountReadOnly(dir: string): boolean {
  try {
    execFileSync('mount', ['--bind', dir, dir], { stdio: 'pipe' });
    execFileSync('mount', ['-o', 'remount,ro,bind', dir], { stdio: 'pipe' });
    readOnly = true;
  } catch {
    readOnly = false;
  }
  return readOnly;
}

/**
 * Puts `dir` on a tmpfs of its own (as root). The eight installed functions are some 74,000 files:
 * deleting them from this machine's disk (ext4 mounted with `discard`) took 139 s, longer than any
 * hook may take, while unmounting a tmpfs frees them at once.
 */
export function onTmpfs(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2g,mode=0700', 'prtc-deploy', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Takes every mount off `dir` (the read-only bind, then the tmpfs under it). */
export function unmount(dir: string): void {
  for (let k = 0; k < 3; k++) {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      return; // nothing (more) mounted there
    }
  }
}

export interface Invocation {
  result: any;
  /** The instance's exit code, or 'still running' when it did not end within `exitWithinMs`. */
  exit: number | null | 'still running';
  stderr: string;
  ms: number;
}

/**
 * Runs one function in an instance of its own: `main(event)`, then (when `close`) its pool closed,
 * and waits for the process to end by itself — a process kept alive by a leaked pool counts as
 * 'still running' after `exitWithinMs`.
 */
export function invoke(
  deployment: string,
  name: string,
  caller: Caller,
  data: Record<string, unknown>,
  env: Record<string, string>,
  opts: { close?: boolean; exitWithinMs?: number } = {},
): Promise<Invocation> {
  const scratch = mkdtempSync(join(tmpdir(), 'prtc-instance-'));
  const runner = join(scratch, 'runner.js');
  writeFileSync(runner, RUNNER);
  const tmp = join(scratch, 'tmp');
  mkdirSync(tmp);
  const started = Date.now();
  // nothing of this machine's own configuration leaks in: only PATH, the platform's and the function's variables
  const child = spawn(
    process.execPath,
    [runner, join(deployment, name), JSON.stringify(platformEvent(caller, data)), opts.close === false ? '0' : '1'],
    {
      env: { PATH: process.env.PATH ?? '', HOME: tmp, TMPDIR: tmp, ...platformEnv(caller), ...env },
      cwd: scratch,
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish('still running');
    }, opts.exitWithinMs ?? 30000);
    let done = false;
    const finish = (exit: Invocation['exit']) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      rmSync(scratch, { recursive: true, force: true });
      let result: unknown;
      try {
        result = out ? JSON.parse(out) : undefined;
      } catch {
        result = { unparsable: out };
      }
      resolve({ result, exit, stderr: err, ms: Date.now() - started });
    };
    child.on('exit', (code) => finish(code));
  });
}
