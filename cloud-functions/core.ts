/**
 * The WeChat cloud-function adapter: `exports.main = async (event, context) => result` over the
 * server's own domains (no second copy of any logic), returning the JSON the HTTP API would, errors
 * included as `{ error: { code, message } }` from the same edge (server/http/edge.ts).
 *
 * As the cloud runs a function (docs/cloud-functions.md has the sources):
 * - Configuration comes only from the function's environment variables, the same set on every
 *   function: `DATABASE_URL` (a MySQL the functions share — each instance has its own `/tmp`, so an
 *   embedded SQLite file cannot be shared), `SIGNING_KEY`, `CODE_PEPPER`. A missing one is refused
 *   with `not_configured` naming it; no secret is ever made up per instance.
 * - The file system is read-only except `/tmp`: nothing is written elsewhere (the chain guard's
 *   head record lives in `/tmp` for as long as the instance does).
 * - One database pool per instance, reused while the instance is warm; a start that fails closes
 *   its pool, so the instance is not kept alive by sockets, and the next call tries again.
 *
 * Privacy: the platform gives every call the caller's WeChat context — `userInfo` ({ appId,
 * openId }) in the event, and OPENID, APPID, UNIONID, CLIENTIP… through `wx-server-sdk`'s
 * `getWXContext()`. It links a call to an account and an address: it is dropped before anything
 * else looks at the event, read only by the timer functions to refuse every caller but the timer,
 * and never stored or logged.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrtcError } from '../shared/errors';
import { loadConfig, type ServerConfig } from '../server/config';
import type { Services } from '../server/domains';
import { errorBody, toPrtcError } from '../server/http/edge';
import { openBackend, type Backend } from '../server/backend';

/** Fields the platform adds to events; never part of a request. */
const PLATFORM_FIELDS = ['userInfo', 'tcbContext'];

export type CloudEvent = Record<string, unknown>;
export type CloudResult = unknown;
export type Main = (event: unknown, context?: unknown) => Promise<CloudResult>;

/** The configuration of a cloud function: from its environment only, complete, on MySQL. */
export function cloudConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const missing = ['DATABASE_URL', 'SIGNING_KEY', 'CODE_PEPPER'].filter((k) => !env[k]);
  if (missing.length)
    throw new PrtcError(
      'not_configured',
      `set ${missing.join(', ')} in the environment variables of every cloud function (the same values on all of them; see the README)`,
    );
  if (!/^(mysql|mariadb):\/\//.test(env.DATABASE_URL!))
    throw new PrtcError(
      'not_configured',
      'DATABASE_URL must be a mysql:// URL: cloud function instances share no disk, so they need one MySQL database',
    );
  let config: ServerConfig;
  try {
    // the chain guard's record, per database (an instance's /tmp outlives no deployment, but one
    // machine running several databases' functions must not mix their records)
    const db = createHash('sha256').update(env.DATABASE_URL!).digest('hex').slice(0, 16);
    config = loadConfig({ ...env, DATA_DIR: join(tmpdir(), `prtc-${db}`) });
  } catch (e) {
    throw new PrtcError('not_configured', (e as Error).message);
  }
  return config;
}

let backend: Promise<Backend> | null = null;

/** One backend per function instance, reused across warm invocations (as the cloud keeps instances). */
function getBackend(): Promise<Backend> {
  if (!backend) {
    const opening = (async () => openBackend(cloudConfig(process.env)))();
    backend = opening;
    // openBackend closes its pool when it fails; the next call tries again
    opening.catch(() => {
      if (backend === opening) backend = null;
    });
  }
  return backend;
}

/** For tests and graceful shutdown: closes the database pool of this instance. */
export async function closeBackend(): Promise<void> {
  const b = backend;
  backend = null;
  if (b) {
    const opened = await b.catch(() => null);
    await opened?.database.close();
  }
}

/** The request part of an event: a plain object without the platform's fields. */
export function requestOf(event: unknown): CloudEvent {
  if (event === undefined || event === null) return {};
  if (typeof event !== 'object' || Array.isArray(event)) throw new PrtcError('invalid_type', 'the event must be a JSON object');
  const out: CloudEvent = {};
  for (const [k, v] of Object.entries(event as CloudEvent)) if (!PLATFORM_FIELDS.includes(k)) out[k] = v;
  return out;
}

/**
 * Whether this call came from the function's timer trigger. The platform says so in the instance's
 * environment, which no caller controls: `TRIGGER_SRC=timer` (what Tencent's own SDK reads to pick
 * the timer's API token) or `getWXContext().SOURCE === 'wx_trigger'` ("云函数定时触发器调用" in
 * WeChat's documentation of getWXContext). A call with a user — OPENID in the context, or the
 * `userInfo` the platform puts into every event a mini-program sends — is never the timer, whatever
 * it claims in its event. Only SOURCE and OPENID are read, and nothing is kept.
 */
export function calledByTimer(event: unknown): boolean {
  // the SDK is a dependency of the timer functions only (their package.json), loaded when needed
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('wx-server-sdk') as { getWXContext(): Record<string, unknown> };
  const { SOURCE, OPENID } = sdk.getWXContext();
  const userInfo = (event as { userInfo?: { openId?: unknown } } | null)?.userInfo;
  if (OPENID || userInfo?.openId) return false;
  return process.env.TRIGGER_SRC === 'timer' || SOURCE === 'wx_trigger';
}

export function handler(
  name: string,
  fn: (services: Services, req: CloudEvent) => Promise<CloudResult> | CloudResult,
  opts: { timerOnly?: boolean } = {},
): Main {
  return async (event) => {
    try {
      if (opts.timerOnly && !calledByTimer(event)) throw new PrtcError('forbidden', `${name} runs on its timer only`);
      const req = requestOf(event);
      const { services } = await getBackend();
      return await fn(services, req);
    } catch (e) {
      // the cloud log gets the message (never the event), the caller the error body
      const error = toPrtcError(e, (message) => console.error(`${name}: ${message}`));
      if (error.code === 'not_configured') console.error(`${name}: ${error.message}`);
      return errorBody(error);
    }
  };
}
