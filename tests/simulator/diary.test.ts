/**
 * The private diary (issue 32) on the real weapp build: phone B checks in at a café on
 * pages/checkin; on pages/diary the day shows the café by itself, the user writes in a person, and
 * "Copy this day" puts the day on WeChat's clipboard — the text checked line by line against what a
 * person would write by hand. The machine's zone is the phone's: times are local clock times.
 */
import { SimWorld } from '../../testkit/world';
import { venueLinkFor } from '../helpers/venue-link';
import { agreeToPrivacy, clockedStory, loadWeapp, weappPhone, waitFor, type SimComponent } from '../helpers/weapp';

const local = (h: number, m: number, day = 20) => new Date(2026, 10, day, h, m).getTime();
const T0 = local(12, 0);
const story = clockedStory(T0);
const text = (page: SimComponent, id: string) => page.querySelector(id)?.dom.textContent ?? null;
const tap = (page: SimComponent, id: string) => page.querySelector(id)!.dispatchEvent('tap');

test('the diary of a day with a check-in and a person written in, copied as text', async () => {
  const cafe = venueLinkFor('Café Lumière');
  const world = new SimWorld(T0);
  const b = weappPhone(world, story.server.url, { name: 'B' });
  const { renderPage } = loadWeapp(b);

  const checkin = renderPage('pages/checkin/index');
  await waitFor(() => checkin.querySelector('#scan'), 'the check-in page');
  b.cameraQueue.push(cafe);
  tap(checkin, '#scan');
  await agreeToPrivacy(checkin, b); // the privacy guide, once: it covers the clipboard too
  await waitFor(() => checkin.querySelector('#stay-60'), 'stay choices');
  tap(checkin, '#stay-60'); // 12:00–13:00
  await waitFor(() => checkin.querySelector('#current'), 'checked in');

  world.advance(local(18, 0) - world.timeMs);
  const diary = renderPage('pages/diary/index');
  await waitFor(() => diary.querySelector('#diary-day'), 'the diary page');
  expect(text(diary, '#day-2026-11-20')).toBe('Fri 20 Nov');
  expect(text(diary, '#day-2026-11-06')).toBe('Fri 6 Nov');
  expect(diary.querySelector('#day-2026-11-05')).toBeFalsy();
  expect(diary.querySelector('#diary-risk')).toBeFalsy();
  expect(text(diary, '#diary-places')).toContain('- 12:00–13:00 Café Lumière');

  diary.querySelector('#diary-person')!.dispatchEvent('input', { detail: { value: 'Li Wei' } });
  await waitFor(() => true, 'typed');
  tap(diary, '#diary-add');
  await waitFor(() => text(diary, '#diary-people')?.includes('- Li Wei'), 'the person written in');
  expect(text(diary, '#diary-error')).toBeNull();

  tap(diary, '#diary-copy-day');
  await waitFor(() => diary.querySelector('#diary-note'), 'copied');
  expect(text(diary, '#diary-note')).toBe('Copied. Paste it where you want to share it, for example to a contact tracer.');
  expect(b.clipboard).toBe(['Diary for Fri 20 Nov', 'Places:', '- 12:00–13:00 Café Lumière', 'People:', '- Li Wei'].join('\n'));
  expect(b.toasts).toEqual(['内容已复制']);
  // kept on the phone only: the diary is in its storage, under the app's own prefix
  expect(b.store.get('prtc.diary')).toContain('Li Wei');
});
