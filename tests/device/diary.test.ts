/**
 * The private diary (issue 32) on simulated phones and a real server: each day of the window filled
 * in with what the phone knows (check-ins, venue codes made on it), the people and notes the user
 * writes in, the day of an exposure marked; exported to the clipboard as text only when the user
 * copies it (WeChat's privacy guide and its "内容已复制" toast); nothing of it in any request; bounded;
 * gone with "delete all data" and when a day leaves the 14-day window.
 */
import type { Transport } from '../../testkit/handset';
import { SimWorld } from '../../testkit/world';
import { venueLinkFor } from '../helpers/venue-link';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';
import { checkInAt, fetchTransport, makePhone, startPhones } from '../helpers/phones';

let server: TestServer;
let world: SimWorld;
const local = (h: number, m: number, day = 20) => new Date(2026, 10, day, h, m).getTime() / 1000;
const at = (h: number, m: number, day = 20) => world.advance(local(h, m, day) * 1000 - world.timeMs);
const venueLink = (description: string) => venueLinkFor(description);

beforeEach(async () => {
  world = new SimWorld(local(12, 0) * 1000);
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

test('a day of the diary: places the phone knows, people written in, the exposure marked; copied as text, never uploaded', async () => {
  const cafe = venueLink('Café Lumière');
  const sent: string[] = [];
  const inner = fetchTransport();
  const recording: Transport = (req) => {
    sent.push(req.url + (req.body ? Buffer.from(req.body).toString('utf8') : ''));
    return inner(req);
  };
  const a = makePhone(world, 'A', server.url);
  const b = makePhone(world, 'B', server.url, { transport: recording });
  await startPhones([a, b], false);
  await checkInAt(a, cafe, 60); // A and B: 12:00–13:00 at the café
  await checkInAt(b, cafe, 60);
  at(13, 30);
  expect(b.device.addManualCheckin(venueLink('City Library'), local(9, 15), local(10, 0)).ok).toBe(true);
  expect(b.device.diaryAddPerson('2026-11-20', '  Li   Wei ')).toMatchObject({ ok: true, value: { people: ['Li Wei'] } });
  expect(b.device.diaryAddPerson('2026-11-20', 'Mum').ok).toBe(true);
  expect(b.device.diarySetNotes('2026-11-20', 'Lunch after the market.')).toMatchObject({ ok: true, text: 'Notes saved.' });
  expect(b.device.diaryAddPerson('2026-11-18', 'Zhang San').ok).toBe(true);

  const days = b.device.diaryDays();
  expect(days).toHaveLength(15);
  expect(days[0]).toMatchObject({ date: '2026-11-20', label: 'Fri 20 Nov', people: ['Li Wei', 'Mum'], risk: false });
  expect(days[0].places.map((p) => [p.venue, p.from, p.to])).toEqual([
    ['City Library', local(9, 15), local(10, 0)],
    ['Café Lumière', local(12, 0), local(13, 0)],
  ]);
  expect(days[14].date).toBe('2026-11-06');

  // the next day A tests positive and uploads its check-ins; B's sync finds the café
  at(10, 0, 21);
  expect((await a.device.upload(await issueCode(server, await newToken(server)), [], true)).ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([1]);
  expect((await b.device.runSync()).ok).toBe(true);
  const [today, yesterday] = b.device.diaryDays();
  expect(today).toMatchObject({ date: '2026-11-21', places: [], people: [], risk: false });
  expect(yesterday).toMatchObject({ date: '2026-11-20', risk: true });

  // the export of that day, line by line as the user reads it
  const expected = [
    'Diary for Fri 20 Nov',
    'An exposure was found on this day (someone who later tested positive was nearby or at the same venue).',
    'Places:',
    '- 09:15–10:00 City Library',
    '- 12:00–13:00 Café Lumière',
    'People:',
    '- Li Wei',
    '- Mum',
    'Notes: Lunch after the market.',
  ].join('\n');
  expect(b.device.diaryText('2026-11-20')).toBe(expected);

  // the privacy guide (its clipboard entry) was agreed to at the first scan
  const copied = await b.device.diaryCopy('2026-11-20');
  expect(copied).toMatchObject({ ok: true, text: 'Copied. Paste it where you want to share it, for example to a contact tracer.' });
  expect(b.sim.clipboard).toBe(expected);
  expect(b.sim.toasts).toEqual(['内容已复制']);
  // every day with something in it, newest first
  expect(await b.device.diaryCopy(null)).toMatchObject({ ok: true });
  expect(b.sim.clipboard).toBe(`${expected}\n\nDiary for Wed 18 Nov\nPlaces:\n- none\nPeople:\n- Zhang San`);

  // a copy while the clipboard API is refused copies nothing
  b.sim.privacy.declared = false;
  b.sim.clipboard = null;
  expect(await b.device.diaryCopy(null)).toMatchObject({ ok: false, code: 'privacy_not_declared' });
  expect(b.sim.clipboard).toBeNull();

  // nothing of the diary left the phone
  expect(sent.length).toBeGreaterThan(0);
  for (const s of sent) expect(s).not.toMatch(/Li Wei|Mum|Zhang San|market/);
});

test('bounds and wrong days are refused and change nothing; kept 14 days; deleted with all data', async () => {
  const p = makePhone(world, 'A', server.url);
  await startPhones([p], false);
  const stored = () => p.sim.store.get('prtc.diary');
  expect(p.device.diaryAddPerson('2026-11-20', 'Li Wei').ok).toBe(true);
  // copying waits for the privacy guide (its clipboard entry): declined, nothing is copied
  const decline = p.device.subscribe((v) => {
    if (v.privacyPrompt) p.device.answerPrivacy(false);
  });
  expect(await p.device.diaryCopy(null)).toMatchObject({ ok: false, code: 'privacy_not_agreed' });
  decline();
  expect(p.sim.clipboard).toBeNull();
  expect(p.sim.privacyPrompts).toEqual(['setClipboardData']);
  const before = stored();
  for (const [r, code, text] of [
    [p.device.diaryAddPerson('2026-11-21', 'Tomorrow'), 'diary_day_outside', 'The diary keeps today and the 14 days before.'],
    [p.device.diaryAddPerson('2026-11-05', 'Too old'), 'diary_day_outside', 'The diary keeps today and the 14 days before.'],
    [p.device.diaryAddPerson('2026-11-20', '   '), 'diary_person_empty', 'Write a name or a description.'],
    [p.device.diaryAddPerson('2026-11-20', 'x'.repeat(41)), 'diary_person_too_long', 'At most 40 characters.'],
    [p.device.diaryAddPerson('2026-11-20', 'Li Wei'), 'diary_person_twice', 'Already written in on this day.'],
    [p.device.diarySetNotes('2026-11-20', '字'.repeat(1001)), 'diary_note_too_long', 'Notes hold at most 1,000 characters.'],
  ] as const) {
    expect(r).toEqual({ ok: false, code, text });
    expect(stored()).toBe(before);
  }
  // 40 Chinese characters are 40 characters (not 120 bytes); the 31st person of a day is refused
  expect(p.device.diaryAddPerson('2026-11-20', '张'.repeat(40)).ok).toBe(true);
  for (let k = 2; k < 30; k++) expect(p.device.diaryAddPerson('2026-11-20', `P${k}`).ok).toBe(true);
  expect(p.device.diaryAddPerson('2026-11-20', 'P30')).toMatchObject({ ok: false, code: 'diary_too_many_people' });
  expect(p.device.diarySetNotes('2026-11-20', '字'.repeat(1000)).ok).toBe(true);
  expect(p.device.diaryAddPerson('2026-11-06', 'Fourteen days back').ok).toBe(true);
  // removing the last person of a day with no notes leaves nothing of it
  expect(p.device.diaryRemovePerson('2026-11-06', 0)).toMatchObject({ ok: true, value: { people: [], notes: '' } });
  expect(JSON.parse(stored()!.replace(/^1:[0-9a-f]{8}:/, '')).days).not.toHaveProperty('2026-11-06');

  // a day leaves the window at local midnight + 14 days
  at(0, 1, 5 + 30);
  await p.device.tick();
  expect(p.sim.store.has('prtc.diary')).toBe(false);

  at(9, 0, 5 + 30);
  expect(p.device.diaryAddPerson(p.device.diaryDays()[0].date, 'Li Wei').ok).toBe(true);
  await p.device.reset();
  expect(p.sim.store.has('prtc.diary')).toBe(false);
  expect(p.device.diaryDays().every((d) => d.people.length === 0 && d.notes === '')).toBe(true);
});
