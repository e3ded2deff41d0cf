/**
 * The WeChat cloud-function adapter: `exports.main = async (event, context) => result` over the
 * server's own service layer (no second copy of any logic). Each function reads the same
 * configuration as the Koa server (DATA_DIR, DATABASE_URL, SIGNING_KEY, …) and returns the JSON the
 * HTTP API would, errors included as `{ error: { code, message } }`.
 *
 * Privacy: WeChat adds `userInfo` ({ appId, openId }) to every event a mini-program sends. It links
 * a call to a WeChat account, so it is dropped before anything else looks at the event and is never
 * stored or logged.
 */
import { errorBody } from '../shared/api';
import { PrtcError } from '../shared/errors';
import { loadConfig } from '../server/config';
import { openBackend, type Backend } from '../server/runtime';
import { isDatabaseDown, type Services } from '../server/services';

/** Fields the platform adds to events; never part of a request. */
const PLATFORM_FIELDS = ['userInfo', 'tcbContext'];

export type CloudEvent = Record<string, unknown>;
export type CloudResult = unknown;
export type Main = (event: unknown, context?: unknown) => Promise<CloudResult>;

let backend: Promise<Backend> | null = null;

/** One backend per function instance, reused across warm invocations (as WeChat keeps instances). */
function getBackend(): Promise<Backend> {
  if (!backend) {
    backend = openBackend(loadConfig(process.env));
    backend.catch(() => { backend = null; }); // a database that was down is retried on the next call
  }
  return backend;
}

/** For tests and graceful shutdown: closes the database pool of this instance. */
export async function closeBackend(): Promise<void> {
  const b = backend;
  backend = null;
  if (b) {
    const { ds } = await b.catch(() => ({ ds: null }));
    if (ds?.isInitialized) await ds.destroy();
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

/** Rejects any field but the allowed ones, as the HTTP API rejects unknown fields and query parameters. */
export function onlyFields(req: CloudEvent, allowed: string[]): void {
  const extra = Object.keys(req).filter((k) => !allowed.includes(k));
  if (extra.length) throw new PrtcError('unknown_field', `unknown field "${extra[0]}"`, extra[0]);
}

export function handler(name: string, fn: (services: Services, req: CloudEvent) => Promise<CloudResult> | CloudResult): Main {
  return async (event) => {
    try {
      const req = requestOf(event);
      const { services } = await getBackend();
      return await fn(services, req);
    } catch (e) {
      if (e instanceof PrtcError) return errorBody(e);
      if (isDatabaseDown(e)) return errorBody(new PrtcError('database_unavailable', 'the database is unavailable; try again shortly'));
      // the cloud log gets the message (never the event), the caller a generic error
      console.error(`${name}: ${(e as Error)?.message ?? String(e)}`);
      return errorBody(new PrtcError('internal_error', 'something went wrong on the server'));
    }
  };
}
