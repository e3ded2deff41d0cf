/**
 * Moving to a new phone (issue 32, docs/protocol.md §17), on simulated phones against a real server:
 * phone A meets C, moves to a new phone B two days later; C then tests positive and B — not A —
 * finds the exposure from before the move. A deletes its data only after scanning B's confirmation.
 * Tampered, foreign, stale and replayed frames are refused and change nothing.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { WxOffscreenCanvas } from '../../miniprogram/host/wechat/wx';
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

/** The phone's storage as it is: every entry, to compare before and after a refusal. */
const stored = (p: Phone) => new Map(p.sim.store);
const names = (p: Phone) => [...p.sim.store.keys()].sort();

/** The user scans `text` with the phone's scanner (the new phone's move page). */
async function scanFrame(p: Phone, text: string) {
  p.sim.cameraQueue.push(text);
  const stop = agreeWhenAsked(p);
  const r = await p.device.scanMoveFrame();
  stop();
  return r;
}

/** One byte of a frame changed (after the prefix), as a tampered or misread frame would be. */
function tamper(frame: string, at: number): string {
  const b = Buffer.from(frame.slice('prtc-move:'.length), 'base64url');
  b[at] ^= 0x20;
  return `prtc-move:${b.toString('base64url')}`;
}

test('A moves to B after meeting C; B then matches that exposure, A holds nothing; bad frames change nothing', async () => {
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const c = makePhone(world, 'C', server.url, { position: { x: 1, y: 0 } });
  await startPhones([a, c]);
  await passMinutes(world, [a, c], 30); // 20 Nov, 09:00–09:30: near for half an hour
  for (const p of [a, c]) await p.device.stopTracing();
  const met = a.device.encounters.count();
  expect(met).toBeGreaterThanOrEqual(3);
  const venue = a.device.venueFromLink((await venueMadeOn(a)).link);
  if (!venue.ok) throw new Error(venue.text ?? venue.code);
  a.device.checkIn(venue.value, 60); // and a check-in at a venue made on this phone

  // two days later A moves to a brand-new phone B
  world.advance(2 * 86400_000);
  const b = makePhone(world, 'B', server.url, { position: { x: 3000, y: 0 } });
  await startPhones([b], false);
  expect((await b.device.runSync()).ok).toBe(true); // a first check: a sync record, the configuration, a log of checks
  expect(names(b)).toEqual(['prtc.history', 'prtc.pinnedKey', 'prtc.riskConfig', 'prtc.sync', 'prtc.tek']);
  const aTek = a.sim.store.get('prtc.tek');
  const aStored = stored(a);
  const out = await a.device.startMoveOut();
  if (!out.ok) throw new Error(out.text ?? out.code);
  const { code, frames } = out.value;
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  expect(frames.length).toBeGreaterThanOrEqual(1);
  expect(frames.every((f) => !f.includes(code.replace('-', '')))).toBe(true); // the code never travels in a frame
  expect(a.sim.store.get('prtc.tek')).toBe(aTek); // the old phone keeps everything until confirmed
  for (const k of aStored.keys()) expect(a.sim.store.get(k)).toBe(aStored.get(k));

  // B: a frame before any code, a wrong code, a tampered frame, a venue code: each refused, nothing changed
  const bBefore = stored(b);
  expect(await b.device.moveInFrame(frames[0])).toMatchObject({ ok: false, code: 'transfer_no_code' });
  expect(b.device.moveInCode('not a code')).toMatchObject({ ok: false, code: 'transfer_bad_code' });
  const typo = code[0] === '2' ? `3${code.slice(1)}` : `2${code.slice(1)}`;
  expect(b.device.moveInCode(typo).ok).toBe(true);
  expect(await scanFrame(b, frames[0])).toEqual({
    ok: false,
    code: 'transfer_mismatch',
    text: 'This QR code does not fit the code you typed, or it was altered. Check the code on the old phone. Nothing was changed.',
  });
  expect(b.device.moveInCode(code.toLowerCase()).ok).toBe(true); // typed as it is shown, in lower case
  expect(await scanFrame(b, tamper(frames[0], 40))).toMatchObject({ ok: false, code: 'transfer_mismatch' });
  expect(await scanFrame(b, 'https://example.org/v#AQID')).toMatchObject({ ok: false, code: 'not_a_transfer' });
  expect(b.device.moveInProgress()).toEqual({ have: 0, count: 0 });
  expect(await b.device.importMove(false)).toMatchObject({ ok: false, code: 'transfer_incomplete' });
  expect(stored(b)).toEqual(bBefore);

  for (const [i, f] of frames.entries()) {
    const r = await scanFrame(b, f);
    expect(r).toMatchObject({ ok: true, value: { have: i + 1, count: frames.length } });
    if (i === 0) expect(await scanFrame(b, f)).toMatchObject({ ok: true, value: { have: 1 } }); // scanned twice: counted once
  }
  expect(stored(b)).toEqual(bBefore); // nothing written before the import

  const imported = await b.device.importMove(false);
  if (!imported.ok) throw new Error(imported.text ?? imported.code);
  expect(imported.text).toMatch(/Let the old phone scan this confirmation/);
  // B now holds A's data: the same tek, every encounter, the check-in; its own consent stays its own
  expect(b.sim.store.get('prtc.tek')).toBe(aTek);
  expect(b.device.encounters.count()).toBe(met);
  expect(b.device.view.checkins).toHaveLength(1);
  expect(b.sim.store.get('prtc.consent')).toBe(bBefore.get('prtc.consent'));
  for (const k of ['prtc.tek', ...[...aStored.keys()].filter((k) => k.startsWith('prtc.enc.'))])
    expect(b.sim.store.get(k)).toBe(aStored.get(k));
  // the check-in came along (and B's launch ended its stay, long over, as A's next tick would have)
  expect(b.device.view.checkins.map((x) => [x.id, x.description, x.checkedOut])).toEqual([[a.device.view.checkins[0].id, 'Café', true]]);

  // the same transfer once more on B: replayed, refused, nothing changed
  const bAfter = stored(b);
  expect(b.device.moveInCode(code).ok).toBe(true);
  expect(await scanFrame(b, frames[0])).toMatchObject({ ok: false, code: 'transfer_replayed' });
  expect(stored(b)).toEqual(bAfter);

  // A: something else scanned as the confirmation deletes nothing; B's confirmation deletes everything
  a.sim.cameraQueue.push('prtc-moved:AAECAwQFBge1UULWMF3lfGgN3uCrkREo');
  expect(await a.device.confirmMoveOut()).toMatchObject({ ok: false, code: 'transfer_not_confirmed' });
  expect(a.sim.store.get('prtc.tek')).toBe(aTek);
  expect(a.device.encounters.count()).toBe(met);
  a.sim.cameraQueue.push(imported.value.confirmation);
  expect(await a.device.confirmMoveOut()).toMatchObject({
    ok: true,
    text: 'The new phone has your data. Everything was deleted from this phone.',
  });
  expect(a.device.encounters.count()).toBe(0);
  expect(names(a).filter((k) => k.startsWith('prtc.enc.') || k === 'prtc.checkins' || k.startsWith('prtc.move.'))).toEqual([]);
  expect(a.sim.store.get('prtc.tek')).not.toBe(aTek);
  // the confirmation again: no move pending any more
  a.sim.cameraQueue.push(imported.value.confirmation);
  expect(await a.device.confirmMoveOut()).toMatchObject({ ok: false, code: 'transfer_no_pending' });

  // the frames recorded and replayed to a third phone two hours later: expired
  world.advance(2 * 3600_000);
  const d = makePhone(world, 'D', server.url);
  await startPhones([d], false);
  const dBefore = stored(d);
  expect(d.device.moveInCode(code).ok).toBe(true);
  expect(await scanFrame(d, frames[0])).toMatchObject({ ok: false, code: 'transfer_expired' });
  expect(stored(d)).toEqual(dBefore);

  // the next day C tests positive; B matches the encounter of 20 Nov, A (which deleted it) does not
  world.advance(86400_000);
  const upload = await c.device.upload(await issueCode(server, await newToken(server)), [], false);
  expect(upload.ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([1]);
  expect((await b.device.runSync()).ok).toBe(true);
  expect(b.device.view.status).toBe('red');
  expect(b.device.view.reasons.find((r) => r.kind === 'bluetooth')).toMatchObject({ on: { y: 2026, m: 11, d: 20 }, closeness: 'near' });
  expect((await a.device.runSync()).ok).toBe(true);
  expect(a.device.view.status).toBe('green');
});

test("a new phone with data of its own is not overwritten unless the user confirms; then it holds the old phone's data only", async () => {
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const b = makePhone(world, 'B', server.url, { position: { x: 1, y: 0 } });
  await startPhones([a, b]);
  await passMinutes(world, [a, b], 15); // B has traced: encounters of its own
  await a.device.stopTracing();
  expect(b.device.encounters.count()).toBeGreaterThan(0);
  const aEnc = [...a.sim.store].filter(([k]) => k.startsWith('prtc.enc.'));
  const out = await a.device.startMoveOut();
  if (!out.ok) throw new Error(out.text ?? out.code);
  expect(b.device.moveInCode(out.value.code).ok).toBe(true);
  for (const f of out.value.frames) expect((await scanFrame(b, f)).ok).toBe(true);
  const bBefore = stored(b);
  expect(await b.device.importMove(false)).toEqual({
    ok: false,
    code: 'transfer_has_data',
    text: 'This phone already holds data of its own. Importing replaces it. Tap again to replace it.',
  });
  expect(stored(b)).toEqual(bBefore);
  expect((await b.device.importMove(true)).ok).toBe(true);
  expect([...b.sim.store].filter(([k]) => k.startsWith('prtc.enc.'))).toEqual(aEnc);
  expect(b.sim.store.get('prtc.tek')).toBe(a.sim.store.get('prtc.tek'));
  // B's own wishes stay B's: tracing was on, and it resumes, on the imported key
  for (let i = 0; i < 50 && !b.device.view.tracing; i++) await new Promise((r) => setTimeout(r, 10)); // the radio opens asynchronously
  expect(b.device.view.tracing).toBe(true);
});

test('the frames as one file sent to a chat: picked on the new phone; a tampered file changes nothing; without the API, said so', async () => {
  // a WeChat with base library 2.16.1 (wx.shareFileMessage; the simulation ties it to the off-screen canvas of that version)
  const canvas = (w: number, h: number) => createCanvas(w, h) as unknown as WxOffscreenCanvas;
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 }, canvas });
  const c = makePhone(world, 'C', server.url, { position: { x: 1, y: 0 } });
  await startPhones([a, c]);
  await passMinutes(world, [a, c], 20);
  await a.device.stopTracing();
  const out = await a.device.startMoveOut();
  if (!out.ok) throw new Error(out.text ?? out.code);
  expect((await a.device.shareMoveOut(out.value.frames)).ok).toBe(true);
  expect(a.sim.sentToChat.map((f) => f.name)).toEqual(['prtc-move.txt']);
  const file = a.sim.sentToChat[0];
  expect(Buffer.from(file.bytes).toString('utf8').split('\n')).toEqual(out.value.frames);

  const b = makePhone(world, 'B', server.url, { canvas });
  await startPhones([b], false);
  const bBefore = stored(b);
  expect(b.device.moveInCode(out.value.code).ok).toBe(true);
  const pick = async (f: { name: string; bytes: Uint8Array } | null) => {
    b.sim.chatPicks.push(f);
    const stop = agreeWhenAsked(b);
    const r = await b.device.pickMoveFile();
    stop();
    return r;
  };
  const lines = out.value.frames.slice();
  lines[lines.length - 1] = tamper(lines[lines.length - 1], 30);
  expect(await pick({ name: 'prtc-move.txt', bytes: Buffer.from(lines.join('\n')) })).toMatchObject({
    ok: false,
    code: 'transfer_mismatch',
  });
  expect(await pick({ name: 'notes.txt', bytes: Buffer.from('shopping list\n') })).toMatchObject({ ok: false, code: 'not_a_transfer' });
  expect(await pick(null)).toEqual({ ok: false, code: 'cancelled', text: null });
  expect(await b.device.importMove(false)).toMatchObject({ ok: false, code: 'transfer_incomplete' });
  expect(stored(b)).toEqual(bBefore);
  expect(await pick(file)).toMatchObject({ ok: true, value: { have: out.value.frames.length, count: out.value.frames.length } });
  const imported = await b.device.importMove(false);
  expect(imported.ok).toBe(true);
  expect(b.device.encounters.count()).toBe(a.device.encounters.count());

  // a WeChat without the API (no base library 2.16.1 here): the old phone says so, the QR codes remain
  expect(await c.device.shareMoveOut(out.value.frames)).toMatchObject({ ok: false, code: 'unsupported' });
});

/**
 * The camera left open reports a code each time it recognises it, again and again while it stays in
 * view (camera.html, bindscancode). Each report is one call of moveFrameSeen; what is not news is
 * passed over (null: nothing to say, nothing changed).
 */
test('codes from the open camera: a frame taken once, repeats and a refused code seen again passed over, reports during a check passed over', async () => {
  const a = makePhone(world, 'A', server.url);
  const c = makePhone(world, 'C', server.url, { position: { x: 1, y: 0 } });
  await startPhones([a, c]);
  await passMinutes(world, [a, c], 20);
  const out = await a.device.startMoveOut();
  if (!out.ok) throw new Error(out.text ?? out.code);
  const { code, frames } = out.value;
  const b = makePhone(world, 'B', server.url, { position: { x: 3000, y: 0 } });
  await startPhones([b], false);

  // before the code is typed: refused, as a scan is
  expect(await b.device.moveFrameSeen(frames[0])).toMatchObject({ ok: false, code: 'transfer_no_code' });
  expect(b.device.moveInCode(code).ok).toBe(true);

  // a stray code (a venue poster behind the old phone): refused once, then passed over
  const stray = 'https://prtc.example/v#AQIAAAAAAAAAADwA';
  expect(await b.device.moveFrameSeen(stray)).toMatchObject({ ok: false, code: 'not_a_transfer' });
  expect(await b.device.moveFrameSeen(stray)).toBeNull();

  // the first frame arrives twice at once (the second while the first derives the keys): taken once
  const [first, during] = await Promise.all([b.device.moveFrameSeen(frames[0]), b.device.moveFrameSeen(frames[0])]);
  expect(first).toMatchObject({ ok: true, value: { have: 1, count: frames.length } });
  expect(during).toBeNull();
  expect(await b.device.moveFrameSeen(frames[0])).toBeNull(); // held already
  for (const f of frames.slice(1)) {
    expect(await b.device.moveFrameSeen(f)).toMatchObject({ ok: true });
    expect(await b.device.moveFrameSeen(f)).toBeNull();
  }
  expect(b.device.moveInProgress()).toEqual({ have: frames.length, count: frames.length });
  const imported = await b.device.importMove(false);
  expect(imported.ok).toBe(true);
  expect(b.sim.store.get('prtc.tek')).toBe(a.sim.store.get('prtc.tek'));
});
