/**
 * The explained status on simulated phones, against a real server on loopback (jest keeps its
 * process's zone, UTC here; tests/unit/explain.test.ts runs the same in Beijing's):
 * why (the local day and its weekday, the part of the day, a band, the closeness — never a minute),
 * until when (a UTC midnight 15 days after the exposure's day, shown in local time with a
 * countdown), the authority's advice from the signed configuration — a new one reaches the phone at
 * its next check, a forged or older one is refused and said —, and the status turning green by
 * itself at the very moment the exposure stops counting (the phone's timer, not the 15-s tick).
 */
import { SimWorld } from '../../testkit/world';
import type { Transport } from '../../testkit/handset/network';
import { DEFAULT_ADVICE } from '../../shared/risk/advice';
import { DEFAULT_CONFIG_V2 } from '../../shared/risk/config-v2';
import { leftText, momentText } from '../../miniprogram/i18n/dates';
import { fetchTransport, makePhone, passMinutes, startPhones } from '../helpers/phones';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let world: SimWorld;
// 09:00:07: the phones' 15-s ticks fall at :07, :22, :37 and :52 of each minute, never on a midnight
const T0 = Date.UTC(2026, 10, 20, 9, 0, 7);

beforeEach(async () => {
  world = new SimWorld(T0);
  server = await startTestServer('sqlite', { minBatchKeys: 0 }, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

test('red with its reason, until when, and the advice; a new advice arrives signed; forged and older ones are refused and said', async () => {
  expect(new Date(T0).getHours()).toBe(9); // the zone these expectations are written for
  // what the server sends the phone's /v1/config?v=2 can be replaced, as a man in the middle would
  type Signed = { configJson: string; signature: string };
  let replaceConfig: ((body: Signed) => Signed) | null = null;
  const served: Signed[] = [];
  const inner = fetchTransport();
  const transport: Transport = async (req) => {
    const r = await inner(req);
    if (!req.url.endsWith('/v1/config?v=2')) return r;
    served.push(JSON.parse(Buffer.from(r.body).toString('utf8')));
    if (!replaceConfig) return r;
    const body = replaceConfig(served[served.length - 1]);
    return { ...r, body: new TextEncoder().encode(JSON.stringify(body)) };
  };
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const b = makePhone(world, 'B', server.url, { position: { x: 1, y: 0 }, transport });
  await startPhones([a, b]);
  await passMinutes(world, [a, b], 25);
  for (const p of [a, b]) await p.device.stopTracing();

  world.advance(26 * 3600_000);
  expect((await a.device.upload(await issueCode(server, await newToken(server)), [], false)).ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([1]);
  expect((await b.device.runSync()).ok).toBe(true);

  const v = b.device.view;
  expect(v.status).toBe('red');
  // 09:00–09:25 on Friday 20 Nov: the morning; 23–25 minutes near: the 10–30 band
  expect(v.reasons).toEqual([
    {
      kind: 'bluetooth',
      level: 'red',
      on: { y: 2026, m: 11, d: 20, weekday: 5 },
      parts: ['morning'],
      band: '10to30',
      closeness: 'near',
      // a phone without a home region follows the national chain (§15), which the reason names
      region: 0,
      regionName: 'all of China',
      until: Date.UTC(2026, 11, 5) / 1000,
    },
  ]);
  // the key's day (20 Nov, UTC) counts 14 more days: green from 5 Dec 00:00 UTC
  expect({ levelUntil: v.levelUntil, greenAt: v.greenAt }).toEqual({
    levelUntil: Date.UTC(2026, 11, 5) / 1000,
    greenAt: Date.UTC(2026, 11, 5) / 1000,
  });
  expect(momentText('en', v.greenAt!)).toBe('Sat 5 Dec, 00:00');
  expect(momentText('zh_CN', v.greenAt!)).toBe('12月5日（周六） 00:00');
  expect(leftText('en', b.device.nowS(), v.greenAt!)).toBe('in 14 days'); // now: Sat 21 Nov, 11:25
  expect(v.exposureDays).toBe(14);
  // the server's configuration before any publication is the build's default, serial 1
  expect(v.configSerial).toBe(1);
  expect(v.advice).toEqual(DEFAULT_ADVICE.red.en);

  // the operator publishes new advice: it reaches the phone at its next check, signature checked
  const advice = {
    ...DEFAULT_ADVICE,
    red: { ...DEFAULT_ADVICE.red, en: { now: 'Isolate at home and call 12320 today.', hotline: '12320' } },
  };
  expect(await server.services.riskConfig.publish({ ...DEFAULT_CONFIG_V2, advice }, null)).toMatchObject({ serial: 2 });
  expect((await b.device.runSync()).ok).toBe(true);
  expect(b.device.view).toMatchObject({
    configSerial: 2,
    advice: { now: 'Isolate at home and call 12320 today.', hotline: '12320' },
    configRefused: null,
  });
  expect(b.sim.store.get('prtc.riskConfig')).toContain('"serial":2');

  // a forged configuration (the advice changed after signing): refused, said, the last verified one kept
  replaceConfig = (c) => ({ ...c, configJson: c.configJson.replace('Isolate at home', 'Nothing to worry about, go out') });
  expect((await b.device.runSync()).ok).toBe(true); // the key lists themselves verified
  expect(b.device.view).toMatchObject({
    configSerial: 2,
    configRefused: 'bad_signature',
    advice: { now: 'Isolate at home and call 12320 today.' },
  });
  expect(b.device.view.message).toEqual({
    kind: 'error',
    text: 'The server sent advice and risk settings whose signature does not match its key: they were refused, and this phone keeps version 2.',
    fromSync: true,
  });
  // an older one, genuinely signed (serial 1, as the server sent it before): refused as a rollback
  const genuineOld = served.find((c) => JSON.parse(c.configJson).serial === 1)!;
  replaceConfig = () => genuineOld;
  expect((await b.device.runSync()).ok).toBe(true);
  expect(b.device.view).toMatchObject({ configSerial: 2, configRefused: 'rollback' });
  expect(b.device.view.message?.text).toMatch(
    /older advice and risk settings than this phone has: they were refused, and this phone keeps version 2/,
  );
  // the genuine one again: nothing to say any more
  replaceConfig = null;
  expect((await b.device.runSync()).ok).toBe(true);
  expect(b.device.view).toMatchObject({ configSerial: 2, configRefused: null, message: null });
  b.device.stop();
  a.device.stop();
});
