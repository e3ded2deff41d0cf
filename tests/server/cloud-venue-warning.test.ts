/**
 * Issue 31: the `warnVenue` cloud function (docs/protocol.md §13) answers what POST /v1/venue-warnings
 * answers — the source module in this process, over the same database as a running server; the
 * deployed build is exercised with the others in cloud-functions.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { toBase64url } from '../../shared/protocol/codec';
import { MYSQL_AVAILABLE } from '../helpers/db';
import { call, newToken, startTestServer, type TestServer } from '../helpers/server';

type Main = (event: unknown) => Promise<any>;
const maybe = MYSQL_AVAILABLE ? describe : describe.skip;

maybe('the warnVenue cloud function', () => {
  let server: TestServer;
  let warnVenue: Main;
  const saved = { ...process.env };
  beforeAll(async () => {
    const secrets = { signingKey: randomBytes(32).toString('base64url'), codePepper: randomBytes(32).toString('base64url') };
    server = await startTestServer('mysql', secrets, { now: () => Math.floor(Date.now() / 1000) } as never);
    Object.assign(process.env, { DATABASE_URL: server.db.url, SIGNING_KEY: secrets.signingKey, CODE_PEPPER: secrets.codePepper });
    jest.isolateModules(() => {
      warnVenue = (require('../../cloud-functions/functions') as { warnVenue: Main }).warnVenue;
    });
  }, 60000);
  afterAll(async () => {
    process.env = saved;
    await server?.stop();
  });

  test('once with the code’s level, then code_used; WeChat’s user fields are dropped, not refused', async () => {
    const token = await newToken(server);
    const issued = await call(
      server.url,
      'POST',
      '/v1/authority/venue-warning-codes',
      { level: 'inform' },
      { authorization: `Bearer ${token}` },
    );
    const now = Math.floor(Date.now() / 1000);
    const body = { code: issued.body.code, locationIdHash: toBase64url(new Uint8Array(32).fill(5)), start: now - 7200, end: now - 3600 };
    expect(await warnVenue({ ...body, userInfo: { appId: 'wx123', openId: 'o-SECRET' } })).toEqual({ accepted: true, level: 'inform' });
    expect((await warnVenue(body)).error.code).toBe('code_used');
    expect((await call(server.url, 'POST', '/v1/venue-warnings', body)).body.error.code).toBe('code_used');
    expect((await warnVenue({ ...body, end: now + 86400 })).error.code).toBe('invalid_interval');
  });
});
