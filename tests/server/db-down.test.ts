/**
 * A database that goes away gives 503 (JSON error, Retry-After) while the process stays up; when it
 * comes back, service resumes without a restart. MySQL is cut for real with a TCP proxy between
 * the server and MariaDB; SQLite (embedded, cannot "go down") loses and regains its handle.
 */
import net from 'node:net';
import { MYSQL_AVAILABLE } from '../helpers/db';
import { call, issueCode, newToken, randomKey, startTestServer, type TestServer } from '../helpers/server';
import { ROLLING_PERIOD } from '../../shared/protocol/time';

class Proxy {
  server: net.Server | null = null;
  sockets = new Set<net.Socket>();
  constructor(
    private target: { host: string; port: number },
    public port = 0,
  ) {}
  async start() {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  async stop() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }
}

async function expectDown(s: TestServer) {
  const ready = await call(s.url, 'GET', '/readyz');
  expect([ready.status, ready.body.error.code]).toEqual([503, 'database_unavailable']);
  expect(ready.headers.get('retry-after')).toBe('5');
  const list = await call(s.url, 'GET', '/v1/batches');
  expect(list.status).toBe(503);
  expect((await call(s.url, 'GET', '/healthz')).status).toBe(200); // the process is alive
}

(MYSQL_AVAILABLE ? test : test.skip)('MySQL: cut the connection → 503, restore it → service resumes', async () => {
  const base = new URL(process.env.PRTC_MYSQL_URL!);
  const proxy = new Proxy({ host: base.hostname, port: Number(base.port || 3306) });
  await proxy.start();
  const s = await startTestServer('mysql');
  // Re-point a second server at the same database through the proxy.
  const { startServer } = await import('../../server/runtime');
  const url = new URL(s.db.url);
  url.host = `127.0.0.1:${proxy.port}`;
  const viaProxy = await startServer(
    { port: 0, host: '127.0.0.1', dataDir: s.db.dataDir, databaseUrl: url.toString(), batchIntervalS: 0 },
    // the same clock as the first server: the keys below are dated by it, and a second server on
    // the wall clock would find them outside retention once the test clock's date is 14 days past
    { clock: s.clock, log: null, env: {} },
  );
  try {
    const code = await issueCode(viaProxy, await newToken(viaProxy));
    await proxy.stop();
    await expectDown({ ...s, url: viaProxy.url } as TestServer);
    const up = await call(viaProxy.url, 'POST', '/v1/diagnosis-keys', {
      code,
      keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }],
    });
    expect(up.status).toBe(503);
    await proxy.start(); // same port
    let ready = 0;
    for (let k = 0; k < 50 && ready !== 200; k++) {
      ready = (await call(viaProxy.url, 'GET', '/readyz')).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
    // nothing half-written: the code was not used up by the failed attempt
    const retry = await call(viaProxy.url, 'POST', '/v1/diagnosis-keys', {
      code,
      keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }],
    });
    expect(retry.status).toBe(201);
  } finally {
    await viaProxy.close();
    await proxy.stop().catch(() => undefined);
    await s.stop();
  }
});

test('SQLite: a lost database handle → 503, regained → service resumes', async () => {
  const s = await startTestServer('sqlite');
  try {
    await s.database.ds.destroy();
    await expectDown(s);
    await s.database.ds.initialize();
    expect((await call(s.url, 'GET', '/readyz')).status).toBe(200);
    expect((await call(s.url, 'GET', '/v1/batches')).status).toBe(200);
  } finally {
    await s.stop();
  }
});
