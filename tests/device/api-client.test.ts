/**
 * The phone's API client on the cloud back end: a cloud function answers with the HTTP API's error
 * body and no status, so the client must give each error the status the HTTP API would (§10) —
 * server faults retryable, refusals not. (Before, every unknown code became 400: an internal error
 * was never retried.)
 */
import { ApiClient, ApiError } from '../../miniprogram/services/api';
import type { Host } from '../../miniprogram/host/types';

function clientAnswering(body: unknown): ApiClient {
  const host = { callFunction: async () => body } as unknown as Host;
  return new ApiClient(host, { backend: 'cloud', serverUrl: '' });
}

async function errorOf(body: unknown): Promise<ApiError> {
  try {
    await clientAnswering(body).listBatches(0);
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('no error');
}

test.each([
  ['internal_error', 500, true],
  ['database_unavailable', 503, true],
  ['storage_unavailable', 503, true],
  ['not_configured', 500, true],
  ['quota_exceeded', 429, true],
  ['code_used', 403, false],
  ['forbidden', 403, false],
  ['invalid_query', 400, false],
  ['not_found', 404, false],
])('cloud error %s → status %i, retryable %s', async (code, status, retryable) => {
  const e = await errorOf({ error: { code, message: 'm' } });
  expect([e.code, e.status, e.retryable]).toEqual([code, status, retryable]);
});

test('a code this build does not know (a newer server) counts as an internal error: retryable', async () => {
  const e = await errorOf({ error: { code: 'something_new', message: 'm' } });
  expect([e.code, e.status, e.retryable]).toEqual(['internal_error', 500, true]);
});
