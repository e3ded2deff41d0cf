/**
 * The status ages by itself (device/status-clock.ts): on a simulated WeChat, with nothing but the
 * status clock running (no tick, no sync), a stored exposure of 20 Nov turns the status green at
 * the very second it stops counting — 5 Dec 00:00 UTC (§6: 14 days after its day) — and not a
 * second before; a local midnight on the way wakes the phone (the countdown in days moves) without
 * pretending the status was computed anew. The clock's timer is the host's (`timers.after`), which
 * the simulated world fires at its due time.
 */
import { SimWorld } from '../../testkit/world';
import { SimPhone } from '../../testkit/handset';
import { DeviceCore } from '../../miniprogram/device/core';
import { DeviceStorage } from '../../miniprogram/services/storage';
import { enin } from '../../shared/protocol/time';

const utcS = (...a: [number, number, number, number?, number?, number?]) =>
  Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0) / 1000;

test('green at the second the exposure stops counting, by the timer alone; a midnight on the way changes nothing else', async () => {
  const world = new SimWorld(utcS(2026, 11, 21, 9, 0, 0) * 1000);
  const sim = new SimPhone(world, { name: 'B' });
  // what a sync stored: one near encounter of 20 minutes on 20 Nov, 09:00 UTC, with a diagnosis key of that day
  const first = enin(utcS(2026, 11, 20, 9));
  new DeviceStorage(sim.host).setJson('sync', {
    v: 2,
    checkpoint: null,
    lastSyncAt: utcS(2026, 11, 21, 8),
    matches: {
      '1': {
        bluetooth: [{ keyId: 'k1', day: enin(utcS(2026, 11, 20)), minutes: 20, attenuation: 40, eninFirst: first, eninLast: first + 1 }],
        venues: [],
      },
    },
  });
  const core = new DeviceCore(sim.host, { backend: 'http', serverUrl: 'http://127.0.0.1:9', publicKey: '' });
  core.recomputeStatus();
  core.statusClock.start();
  core.emit();
  const greenAt = utcS(2026, 12, 5);
  expect(core.status.state).toMatchObject({ status: 'red', greenAt, levelUntil: greenAt });
  const computedAt = core.status.state.computedAt;

  // the next local midnight (UTC here) wakes the phone: the status is the same, and keeps its time
  await world.run((utcS(2026, 11, 22) - utcS(2026, 11, 21, 9)) * 1000 + 1000);
  expect(core.status.state).toMatchObject({ status: 'red', computedAt });

  // 13 days pass with the phone in a drawer (no timer runs), then it runs again up to a second before
  world.advance((greenAt - 3600 - utcS(2026, 11, 22, 0, 0, 1)) * 1000);
  await world.run(3599_000);
  expect(Math.floor(world.timeMs / 1000)).toBe(greenAt - 1);
  expect(core.view.status).toBe('red');
  expect(core.status.state.status).toBe('red');
  await world.run(1000);
  expect(core.status.state).toMatchObject({ status: 'green', reasons: [], greenAt: null, levelUntil: null, computedAt: greenAt });
  expect(core.view.status).toBe('green'); // and the pages were told
  core.statusClock.stop();
});
