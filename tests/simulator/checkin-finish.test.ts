/**
 * Check-ins people finish (issue 32), on the real weapp build: a rescanned venue extends the stay
 * ("still checked in, extended to 14:30") instead of a second check-in; the times are corrected on
 * the page afterwards, a wrong one refused with its reason; a visit is added by hand from a shared
 * venue link and a chosen day and times. The machine's zone is the phone's: times are hand-written
 * as local clock times.
 */
import { SimWorld } from '../../testkit/world';
import { venueLinkFor } from '../helpers/venue-link';
import { agreeToPrivacy, clockedStory, loadWeapp, weappPhone, waitFor, type SimComponent } from '../helpers/weapp';

const local = (h: number, m: number, day = 20) => new Date(2026, 10, day, h, m).getTime();
const T0 = local(12, 0);
const story = clockedStory(T0);

const venueLink = (description: string) => venueLinkFor(description, { venueType: 1, defaultMinutes: 45 });
const text = (page: SimComponent, id: string) => page.querySelector(id)?.dom.textContent ?? null;
const change = (page: SimComponent, id: string, value: string) => page.querySelector(id)!.dispatchEvent('change', { detail: { value } });
const tap = (page: SimComponent, id: string) => page.querySelector(id)!.dispatchEvent('tap');
const stored = (raw: string | undefined) => JSON.parse(raw!.replace(/^1:[0-9a-f]{8}:/, '')) as { checkInAt: number; checkOutAt: number }[];

test('a rescanned venue extends the stay; times corrected on the page; a visit added by hand from a shared link', async () => {
  const cafe = venueLink('Café Lumière');
  const world = new SimWorld(T0);
  const b = weappPhone(world, story.server.url, { name: 'B' });
  const { renderPage } = loadWeapp(b);
  const page = renderPage('pages/checkin/index');
  await waitFor(() => page.querySelector('#scan'), 'the check-in page');

  b.cameraQueue.push(cafe);
  tap(page, '#scan');
  await agreeToPrivacy(page, b);
  await waitFor(() => page.querySelector('#stay-60'), 'stay choices');
  tap(page, '#stay-60'); // 12:00–13:00
  await waitFor(() => page.querySelector('#current'), 'checked in');
  expect(text(page, '#checkin-note')).toBeNull();

  world.advance(local(12, 30) - world.timeMs);
  b.cameraQueue.push(cafe);
  tap(page, '#scan');
  await waitFor(() => page.querySelector('#stay-120'), 'stay choices again');
  tap(page, '#stay-120');
  await waitFor(() => page.querySelector('#checkin-note'), 'the extension');
  expect(text(page, '#checkin-note')).toBe('Still checked in at Café Lumière, extended to 14:30');
  expect(text(page, '#current')).toContain('Checked in at Café Lumière until 14:30');
  expect(stored(b.store.get('prtc.checkins'))).toHaveLength(1);

  // correcting the times afterwards: a check-out before the check-in is refused and changes nothing
  world.advance(local(15, 0) - world.timeMs);
  const [{ id }] = stored(b.store.get('prtc.checkins')) as unknown as { id: string }[];
  tap(page, `#edit-${id}`);
  await waitFor(() => page.querySelector('#edit-form'), 'the edit form');
  const before = b.store.get('prtc.checkins');
  change(page, '#edit-from', '12:10');
  change(page, '#edit-to', '12:05');
  await waitFor(() => text(page, '#edit-from')?.includes('12:10') && text(page, '#edit-to')?.includes('12:05'), 'the chosen times');
  tap(page, '#edit-save');
  await waitFor(() => page.querySelector('#checkin-error'), 'a refusal');
  expect(text(page, '#checkin-error')).toBe('The time you left must be after the time you arrived.');
  expect(b.store.get('prtc.checkins')).toBe(before);
  change(page, '#edit-to', '13:40');
  await waitFor(() => text(page, '#edit-to')?.includes('13:40'), 'the corrected time');
  tap(page, '#edit-save');
  await waitFor(() => !page.querySelector('#edit-form'), 'saved');
  expect(text(page, '#checkin-note')).toBe('Times corrected for Café Lumière.');
  expect(page.querySelector('#current')).toBeFalsy();
  expect(text(page, '#checkins')).toContain('20 Nov 12:10–13:40 Café Lumière');
  expect(stored(b.store.get('prtc.checkins'))[0]).toMatchObject({ checkInAt: local(12, 10) / 1000, checkOutAt: local(13, 40) / 1000 });

  // a visit by hand: a link a friend shared, three days ago, 18:00–19:30; a time in the future is refused first
  const library = venueLink('City Library');
  page.querySelector('#manual-link')!.dispatchEvent('input', { detail: { value: library } });
  change(page, '#manual-date', '2026-11-20');
  change(page, '#manual-from', '15:30');
  change(page, '#manual-to', '16:00');
  await waitFor(() => text(page, '#manual')?.includes('16:00'), 'the chosen day and times');
  tap(page, '#manual-add');
  await waitFor(() => text(page, '#checkin-error') === 'A time cannot be in the future.', 'a refusal');
  expect(stored(b.store.get('prtc.checkins'))).toHaveLength(1);
  change(page, '#manual-date', '2026-11-17');
  change(page, '#manual-from', '18:00');
  change(page, '#manual-to', '19:30');
  await waitFor(() => text(page, '#manual')?.includes('19:30'), 'the chosen day and times');
  tap(page, '#manual-add');
  await waitFor(() => text(page, '#checkin-note') === 'Visit to City Library added.', 'added');
  expect(page.querySelector('#checkin-error')).toBeFalsy();
  expect(text(page, '#checkins')).toContain('17 Nov 18:00–19:30 City Library (by hand)');
  expect(stored(b.store.get('prtc.checkins'))).toHaveLength(2);
});
