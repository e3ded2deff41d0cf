/**
 * The WeChat cloud-function adapter: `exports.main = async (event, context) => result` over the
 * server's own domains (no second copy of any logic). Each function reads the same configuration as
 * the Koa server (DATA_DIR, DATABASE_URL, SIGNING_KEY, …) and returns the JSON the HTTP API would,
 * errors included as `{ error: { code, message } }` from the same edge (server/http/edge.ts).
 *
 * Privacy: WeChat adds `userInfo` ({ appId, openId }) to every event a mini-program sends. It links
 * a call to a WeChat account, so it is dropped before anything else looks at the event and is never
 * stored or logged.
 */
import { PrtcError } from '../shared/errors';
import { loadConfig } from '../server/config';
import type { Services } from '../server/domains';
import { errorBody, toPrtcError } from '../server/http/edge';
import { openBackend, type Backend } from '../server/runtime';

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
    backend.catch(() => {
      backend = null;
    }); // a database that was down is retried on the next call
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

export function handler(name: string, fn: (services: Services, req: CloudEvent) => Promise<CloudResult> | CloudResult): Main {
  return async (event) => {
    try {
      const req = requestOf(event);
      const { services } = await getBackend();
      return await fn(services, req);
    } catch (e) {
      // the cloud log gets the message (never the event), the caller the error body
      return errorBody(toPrtcError(e, (message) => console.error(`${name}: ${message}`)));
    }
  };
}
