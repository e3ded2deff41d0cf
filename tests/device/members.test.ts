/**
 * Family members on one phone (issue 32), across simulated phones sharing one radio and a real
 * server on loopback: a member with the phone during a contact gets the user's colour, one marked
 * away during all of it stays green and the app says what its code cannot know, one away during only
 * part of it is never greener than the phone knows.
 */
import { SimWorld } from '../../testkit/world';
import { t } from '../../miniprogram/i18n';
import { createDevice } from '../../miniprogram/device';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';
import { agreeWhenAsked, checkInAt, makePhone, passMinutes, startPhones } from '../helpers/phones';
import { runTool } from '../helpers/run-tool';

let server: TestServer;
let world: SimWorld;
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const clockFromWorld = () => ({ t: 0, now: () => Math.floor(world.timeMs / 1000), advance() {}, today: 0 });

beforeEach(async () => {
  world = new SimWorld(T0);
  server = await startTestServer('sqlite', { minBatchKeys: 20 }, clockFromWorld() as never);
});
afterEach(async () => {
  await server.stop();
});

const s = (h: number, m: number) => Date.UTC(2026, 10, 20, h, m) / 1000;

test("a member with the phone during a contact shares the user's colour; one away during it stays green, and the app says why", async () => {
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const b = makePhone(world, 'B', server.url, { position: { x: 1, y: 0 } });
  await startPhones([a, b]);

  const mia = await b.device.addMember('Mia', 'teal');
  const opa = await b.device.addMember('  外公  ', 'orange');
  const lili = await b.device.addMember('Lili', 'purple');
  if (!mia.ok || !opa.ok || !lili.ok) throw new Error('members not added');
  expect(opa.value.nickname).toBe('外公'); // trimmed

  // 08:59: Opa leaves for the day (before the contact); he is back at 10:00
  world.advance(-60_000);
  expect(b.device.markMemberAway(opa.value.id, b.device.nowS(), null).ok).toBe(true);
  world.advance(60_000);
  // A and B spend 09:00–09:30 one metre apart
  await passMinutes(world, [a, b], 10);
  // Lili is away 09:05–09:30: the first 5 minutes she was with the phone
  await passMinutes(world, [a, b], 20);
  expect(b.device.markMemberAway(lili.value.id, s(9, 5), s(9, 30)).ok).toBe(true);
  for (const p of [a, b]) await p.device.stopTracing();
  world.advance(s(10, 0) * 1000 - world.timeMs);
  b.device.memberBack(opa.value.id);

  // the next day A tests positive and uploads; the server publishes; B checks
  world.advance(26 * 3600_000);
  expect((await a.device.upload(await issueCode(server, await newToken(server)), [], false)).ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([1]);
  expect((await b.device.runSync()).ok).toBe(true);

  const v = b.device.view;
  expect(v.status).toBe('red');
  const byName = Object.fromEntries(v.members.map((m) => [m.nickname, m]));
  // with the phone all along: the same colour and the same reasons as the user
  expect(byName.Mia.status).toBe('red');
  expect(byName.Mia.reasons).toEqual(v.reasons.map(({ regionName: _, ...r }) => r));
  // away for part of the contact: never greener than what the phone knows
  // (a record of sightings that touches her 5 minutes counts in full: 10 to 30 minutes, not under 10)
  expect(byName.Lili).toMatchObject({ status: 'yellow', reasons: [expect.objectContaining({ kind: 'bluetooth', band: '10to30' })] });
  // away for all of it: green, and the period away is there for the app to say what it cannot know
  expect(byName['外公']).toMatchObject({ status: 'green', reasons: [], awayNow: false, awayPeriods: [{ from: s(8, 59), to: s(10, 0) }] });
  expect(v.members.map((m) => [m.position, m.count])).toEqual([
    [1, 3],
    [2, 3],
    [3, 3],
  ]);

  // at the gate (A's phone in gate mode): each member's code, with its place and nothing personal
  const gate = async (code: string | null) => {
    expect(code).not.toBeNull();
    a.sim.cameraQueue.push(code!);
    const stop = agreeWhenAsked(a);
    const r = await a.device.gateScan();
    stop();
    if (!r.ok) throw new Error(r.text ?? 'cancelled');
    return r.value;
  };
  const mine = await gate(b.device.healthCode());
  expect(mine).toMatchObject({ valid: true, status: 'red' });
  expect(mine.member).toBeUndefined();
  expect(b.device.healthCode()!.startsWith('PRTC-HC1:Ag')).toBe(true); // the user's own code stays version 0x02 (old gates read it)
  expect(await gate(b.device.healthCode(mia.value.id))).toMatchObject({ valid: true, status: 'red', member: { index: 1, count: 3 } });
  const opaAtGate = await gate(b.device.healthCode(opa.value.id));
  expect(opaAtGate).toMatchObject({ valid: true, status: 'green', member: { index: 2, count: 3 } });
  expect(JSON.stringify(opaAtGate)).not.toContain('外公');
  expect(t('zh_CN', 'gateMember', { k: 2, n: 3 })).toBe('本机家庭成员第2位，共3位');
  expect(b.device.healthCode('no-such-member')).toBeNull();

  for (const lang of ['en', 'zh_CN', 'zh_TW', 'zh_HK'] as const) expect(t(lang, 'memberAwayUnknown', { name: '外公' })).toContain('外公');
  expect(t('en', 'memberCannotKnow')).toMatch(/school alone is not traced/);
});

test('bad input is refused with a clear sentence and nothing is stored; deleting everything removes the members', async () => {
  const b = makePhone(world, 'B', server.url);
  await startPhones([b], false);
  const stored = () => b.sim.store.get('prtc.members') ?? null;
  for (const nick of ['', '   ', 'x'.repeat(21)]) {
    const r = await b.device.addMember(nick, 'teal');
    expect(r).toMatchObject({ ok: false, code: 'invalid_value', text: t('en', 'memberInvalid') });
  }
  expect((await b.device.addMember('Mia', 'gold' as never)).ok).toBe(false);
  expect(stored()).toBeNull();
  // 20 characters (code points) are fine, even outside the BMP
  expect((await b.device.addMember('😀'.repeat(20), 'blue')).ok).toBe(true);
  for (let k = 2; k <= 5; k++) expect((await b.device.addMember(`M${k}`, 'teal')).ok).toBe(true);
  const before = stored();
  expect(await b.device.addMember('M6', 'teal')).toMatchObject({ ok: false, text: t('en', 'memberTooMany', { n: 5 }) });
  expect(stored()).toBe(before);

  const id = b.device.view.members[0].id;
  const now = b.device.nowS();
  // a period in the future, ending before it starts, or older than 14 days: refused, nothing changed
  for (const [from, to] of [
    [now + 60, null],
    [now - 600, now - 1200],
    [now - 15 * 86400, now - 14 * 86400 - 3600],
    [now - 600, now + 600],
  ] as [number, number | null][])
    expect(b.device.markMemberAway(id, from, to)).toMatchObject({ ok: false, code: 'invalid_value' });
  expect(stored()).toBe(before);
  expect(b.device.markMemberAway('nope', now - 60, null)).toMatchObject({ ok: false, code: 'not_found', text: t('en', 'memberGone') });

  // a damaged list: the next start says so in the user's words and starts without members
  b.sim.store.set('prtc.members', before!.replace(/.$/, 'x'));
  const again = createDevice(b.sim.host, { backend: 'http', serverUrl: server.url, publicKey: '' });
  await again.start();
  expect(again.view.damage).toContain(t('en', 'damage_members'));
  expect(again.view.members).toEqual([]);
  again.stop();

  await b.device.reset();
  expect(b.device.view.members).toEqual([]);
  expect(stored()).toBeNull();
});

test('companions checked in together are warned by a venue warning; a member away and not a companion is not', async () => {
  world.advance(s(12, 0) * 1000 - world.timeMs);
  const r = runTool('tools/prtc.ts', ['venue-create', '--host', 'prtc.example', '--desc', 'Café Lumière', '--type', 'restaurant']);
  if (r.code !== 0) throw new Error(r.stderr);
  const cafe = r.stdout.trim();
  const a = makePhone(world, 'A', server.url);
  const b = makePhone(world, 'B', server.url);
  await startPhones([a, b], false);
  const ids: Record<string, string> = {};
  for (const [nick, colour] of [
    ['Mia', 'teal'],
    ['Opa', 'orange'],
    ['Lili', 'purple'],
  ] as const) {
    const m = await b.device.addMember(nick, colour);
    if (!m.ok) throw new Error(m.text ?? '');
    ids[nick] = m.value.id;
  }
  // Opa and Lili went out at 11:00 ("not with me"); Opa joins B at the café, Lili does not
  world.advance(-3600_000);
  expect(b.device.markMemberAway(ids.Opa, b.device.nowS(), null).ok).toBe(true);
  expect(b.device.markMemberAway(ids.Lili, b.device.nowS(), null).ok).toBe(true);
  world.advance(3600_000);

  await checkInAt(a, cafe, 60); // A: 12:00–13:00 → warning 12:00–13:30 after CWA's extension
  world.advance(s(12, 20) * 1000 - world.timeMs);
  // B scans once, checking in with two family members
  b.sim.cameraQueue.push(cafe);
  const stop = agreeWhenAsked(b);
  const scanned = await b.device.scanVenue();
  stop();
  if (!scanned.ok) throw new Error(scanned.text ?? '');
  b.device.checkIn(scanned.value, 120, [ids.Mia, ids.Opa, 'gone-member']);
  const bc = b.device.view.checkins[0];
  expect(bc.companions).toEqual([ids.Mia, ids.Opa]); // ids not on the phone are dropped
  world.advance(s(13, 0) * 1000 - world.timeMs);
  b.device.checkOut(bc.id); // 12:20–13:00: 40 minutes of overlap → red (§6 redVenueMinutes 30)

  world.advance(24 * 3600_000);
  expect((await a.device.upload(await issueCode(server, await newToken(server)), [], true)).ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([1]);
  expect((await b.device.runSync()).ok).toBe(true);

  const v = b.device.view;
  expect(v.status).toBe('red');
  const byName = Object.fromEntries(v.members.map((m) => [m.nickname, m]));
  expect(byName.Mia).toMatchObject({ status: 'red', reasons: [expect.objectContaining({ kind: 'venue', venue: 'Café Lumière' })] });
  // away since 11:00, but a companion at the café: the user said so at the venue
  expect(byName.Opa).toMatchObject({ status: 'red', awayNow: true, reasons: [expect.objectContaining({ kind: 'venue' })] });
  // away and not a companion: the phone knows nothing of Lili at the café
  expect(byName.Lili).toMatchObject({ status: 'green', reasons: [], awayNow: true });
});
