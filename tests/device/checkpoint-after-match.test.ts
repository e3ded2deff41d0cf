/**
 * §8 and §15: the health code's checkpoint says "my status accounts for everything this root commits
 * to". A phone may take a root as its checkpoint only after it has matched every batch of its chains up
 * to the heads that root holds. Here the batch list (with its signed root) arrives but the body of the
 * batch under it does not (the server answers 404 for it, as a CDN that lost a file would): the check
 * fails, and the phone must still have no code — a code then would tell a gate the phone had checked
 * keys it never saw. Once the body arrives the check succeeds and the code carries that root.
 */
import { SimWorld } from '../../testkit/world';
import { fetchTransport, makePhone } from '../helpers/phones';
import { startTestServer, uploadOneKeyAndPublish, type TestServer } from '../helpers/server';
import { decodeHealthCode } from '../../shared/protocol/healthcode';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
let world: SimWorld;
let server: TestServer;

beforeEach(async () => {
  world = new SimWorld(T0);
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

test('a root is the checkpoint only once the batches under it are matched: a lost body leaves no code', async () => {
  expect((await uploadOneKeyAndPublish(server, T0 / 1000)).published).toEqual([1]);
  let bodiesLost = true;
  const real = fetchTransport();
  const p = makePhone(world, 'B', server.url, {
    transport: async (req) =>
      bodiesLost && /\/batches\/\d+$/.test(new URL(req.url).pathname)
        ? {
            status: 404,
            headers: { 'content-type': 'application/json' },
            body: Buffer.from('{"error":{"code":"not_found","message":"gone"}}'),
          }
        : real(req),
  });
  await p.device.start();

  const failed = await p.device.runSync();
  expect(failed.ok).toBe(false);
  expect(p.device.view.hasCheckpoint).toBe(false);
  expect(p.device.healthCode()).toBeNull();

  bodiesLost = false;
  expect((await p.device.runSync()).ok).toBe(true);
  const code = p.device.healthCode();
  expect(code).not.toBeNull();
  const served = (await (await fetch(`${server.url}/v1/regions`)).json()) as { root: { signedAt: number } };
  expect(decodeHealthCode(code!).root?.signedAt).toBe(served.root.signedAt);
});
