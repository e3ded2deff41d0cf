/**
 * Moving to a new phone (docs/protocol.md §17) when the new phone's mini-program is KILLED in the
 * middle of the import — WeChat may end it at any moment (the handset's `killAfterWrites`,
 * testkit/handset/storage.ts): after every possible number of writes, the relaunched phone holds
 * either all of the old phone's data or none of it, says so, and a second import of the same
 * transfer then succeeds; the old phone keeps everything throughout and matches as in the move story.
 */
import { createDevice } from '../../miniprogram/device';
import { fnv1a } from '../../miniprogram/services/storage';
import { SimWorld } from '../../testkit/world';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';
import { agreeWhenAsked, makePhone, passMinutes, startPhones, venueMadeOn, type Phone } from '../helpers/phones';

let server: TestServer;
let world: SimWorld;
const clockFromWorld = () => ({ t: 0, now: () => Math.floor(world.timeMs / 1000), advance() {}, today: 0 });

beforeEach(async () => {
  world = new SimWorld(Date.UTC(2026, 10, 20, 9, 0, 0));
  server = await startTestServer('sqlite', { minBatchKeys: 20 }, clockFromWorld() as never);
});
afterEach(async () => {
  await server.stop();
});

const JOURNAL = 'prtc.move.importing';
const INTERRUPTED =
  'Moving your data from the old phone was interrupted. Nothing of it was kept on this phone. ' +
  'The old phone still has everything: type its code and scan its QR codes again.';
const OWN_GONE = "This phone's own data, which you agreed to replace, was deleted too.";

/** The data entries of a phone: every `prtc.*` entry but the phone's own (consent, permissions, …) and the moves' records. */
const PHONE_BOUND = ['consent', 'tracing', 'background', 'tracingTime', 'pinnedKey', 'fakeUpload'];
function dataEntries(p: Phone): Map<string, string> {
  return new Map(
    [...p.sim.store].filter(([k]) => {
      const name = k.slice('prtc.'.length);
      return k.startsWith('prtc.') && !PHONE_BOUND.includes(name) && !name.startsWith('move.');
    }),
  );
}

async function scanAll(p: Phone, code: string, frames: string[]): Promise<void> {
  expect(p.device.moveInCode(code).ok).toBe(true);
  for (const f of frames) {
    p.sim.cameraQueue.push(f);
    const stop = agreeWhenAsked(p);
    const r = await p.device.scanMoveFrame();
    stop();
    if (!r.ok) throw new Error(r.text ?? r.code);
  }
}

/** The mini-program is killed and opened again: a new device over the same WeChat storage. */
async function relaunch(p: Phone): Promise<Phone> {
  p.device.stop();
  p.sim.killAfterWrites = null;
  const device = createDevice(p.sim.host, { backend: 'http', serverUrl: server.url, publicKey: '' });
  await device.start();
  return { ...p, device };
}

/** The old phone A: met C for half an hour, made a venue code on itself and checked in there; then two days pass. */
async function oldPhone(): Promise<{ a: Phone; c: Phone }> {
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const c = makePhone(world, 'C', server.url, { position: { x: 1, y: 0 } });
  await startPhones([a, c]);
  await passMinutes(world, [a, c], 30);
  for (const p of [a, c]) await p.device.stopTracing();
  const made = await venueMadeOn(a);
  const venue = a.device.venueFromLink(made.link);
  if (!venue.ok) throw new Error(venue.text ?? venue.code);
  a.device.checkIn(venue.value, 60);
  world.advance(2 * 86400_000);
  return { a, c };
}

test('killed after any number of writes, the new phone keeps all of the move or none of it; then the same move succeeds', async () => {
  const { a, c } = await oldPhone();
  const out = await a.device.startMoveOut();
  if (!out.ok) throw new Error(out.text ?? out.code);
  const { code, frames } = out.value;
  const aData = dataEntries(a);
  // the check-in is compared as the page shows it: B's launch ends the stay, long over, as A's next tick would
  const aExact = [...aData].filter(([key]) => key !== 'prtc.checkins');
  const aStored = new Map(a.sim.store);
  expect([...aData.keys()].filter((k) => k.startsWith('prtc.enc.')).length).toBeGreaterThanOrEqual(1);
  expect(aData.has('prtc.checkins') && aData.has('prtc.venues') && aData.has('prtc.tek')).toBe(true);

  const seen: ('untouched' | 'undone' | 'kept')[] = [];
  let reimported: Phone | null = null;
  for (let k = 0; ; k++) {
    const b = makePhone(world, `B${k}`, server.url, { position: { x: 3000, y: 0 } });
    await startPhones([b], false);
    expect((await b.device.runSync()).ok).toBe(true); // a fresh phone: its tek, a sync, the configuration, a log of checks
    const bOwn = new Map(b.sim.store);
    await scanAll(b, code, frames);
    b.sim.killAfterWrites = k;
    const r = await b.device.importMove(false).catch((e: unknown) => e);
    const killed = b.sim.killAfterWrites === 0;
    const journalAtKill = b.sim.store.has(JOURNAL);
    const again = await relaunch(b);
    expect(b.sim.store.has(JOURNAL)).toBe(false);
    const bData = dataEntries(again);

    if (aExact.every(([key, v]) => bData.get(key) === v)) {
      // all of it: the kill came after the import was complete; B runs on A's data, nothing to say
      expect(killed || (typeof r === 'object' && r !== null && 'ok' in r && r.ok)).toBe(true);
      expect(again.device.view.message?.text ?? '').not.toMatch(/interrupted/);
      expect(again.device.encounters.count()).toBe(a.device.encounters.count());
      seen.push('kept');
      break;
    }
    // none of it: not one entry B holds came from A, unless B made it itself (a tek, a sync: B's own, unchanged)
    expect(killed).toBe(true);
    seen.push(journalAtKill ? 'undone' : 'untouched');
    const fromA = [...bData].filter(([key, v]) => aStored.get(key) === v && bOwn.get(key) !== v).map(([key]) => key);
    expect([k, fromA]).toEqual([k, []]);
    expect(again.sim.store.get('prtc.tek')).not.toBe(aStored.get('prtc.tek'));
    expect(again.device.encounters.count()).toBe(0);
    expect(again.device.view.checkins).toEqual([]);
    // the user is told, on the home page, when anything of the move had been written (the journal first)
    if (journalAtKill) {
      expect(again.device.view.message).toEqual({ kind: 'error', text: INTERRUPTED });
      expect(again.device.view.damage).toEqual([]); // not "your key was damaged": the key was the old phone's
    } else expect(again.device.view.message?.text ?? '').not.toMatch(/interrupted/);

    // the same transfer again, on the relaunched phone: not a replay, not "this phone has data"; then all of A
    await scanAll(again, code, frames);
    const second = await again.device.importMove(false);
    if (!second.ok) throw new Error(`k=${k}: ${second.text ?? second.code}`);
    const after = dataEntries(again);
    for (const [key, v] of aExact) expect([k, key, after.get(key)]).toEqual([k, key, v]);
    expect(again.device.encounters.count()).toBe(a.device.encounters.count());
    expect(again.device.view.checkins.map((x) => x.description)).toEqual(['Café']);
    reimported = again;
    again.device.stop();
  }
  // killed before the first write: untouched; after the journal, after each entry, after the id imported: undone
  expect(seen[0]).toBe('untouched');
  expect(seen.filter((x) => x === 'undone').length).toBeGreaterThanOrEqual(aData.size + 1);
  expect(seen.slice(1, -1).every((x) => x === 'undone')).toBe(true);
  expect(seen.at(-1)).toBe('kept');

  // A still holds everything (it deletes only on B's confirmation); C tests positive; the re-imported B matches it
  for (const [key, v] of aData) expect(a.sim.store.get(key)).toBe(v);
  world.advance(86400_000);
  const upload = await c.device.upload(await issueCode(server, await newToken(server)), [], false);
  expect(upload.ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([1]);
  const b = reimported!;
  expect((await b.device.runSync()).ok).toBe(true);
  expect(b.device.view.status).toBe('red');
  expect(b.device.view.reasons.find((x) => x.kind === 'bluetooth')).toMatchObject({ on: { y: 2026, m: 11, d: 20 }, closeness: 'near' });
});

test('killed while replacing data of its own the user agreed to replace: that is gone too, and the phone says so', async () => {
  const { a } = await oldPhone();
  const out = await a.device.startMoveOut();
  if (!out.ok) throw new Error(out.text ?? out.code);
  const b = makePhone(world, 'B', server.url, { position: { x: 3000, y: 0 } });
  await startPhones([b], false);
  b.sim.store.set('prtc.diary', `1:${fnv1a('{"v":1,"days":{}}')}:{"v":1,"days":{}}`); // data of B's own
  await scanAll(b, out.value.code, out.value.frames);
  expect(await b.device.importMove(false)).toMatchObject({ ok: false, code: 'transfer_has_data' });
  b.sim.killAfterWrites = 3; // the journal and two entries
  await b.device.importMove(true).catch(() => undefined);
  expect(b.sim.store.has(JOURNAL)).toBe(true);
  const again = await relaunch(b);
  expect(again.device.view.message).toEqual({ kind: 'error', text: `${INTERRUPTED} ${OWN_GONE}` });
  expect(dataEntries(again).has('prtc.diary')).toBe(false);
  expect(again.sim.store.has(JOURNAL)).toBe(false);
  // now the phone holds nothing of its own: the move goes through without asking
  await scanAll(again, out.value.code, out.value.frames);
  expect((await again.device.importMove(false)).ok).toBe(true);
  expect(again.device.encounters.count()).toBe(a.device.encounters.count());
});
