/**
 * Story 4 — reporting a positive test on the real weapp build: the user types the code the health
 * authority gave them, can leave days out, and uploads to the real server on loopback. A mistyped
 * code changes nothing; after a good upload the phone uses a new key and the code cannot be reused.
 */
import { SimWorld } from '../../testkit/world';
import { clockedStory, loadWeapp, weappPhone, waitFor } from '../helpers/weapp';
import { issueCode, newToken } from '../helpers/server';
import { dayInterval, enin, ROLLING_PERIOD } from '../../shared/protocol/time';
import { decodeBatch } from '../../shared/protocol/batch';

const T0 = Date.UTC(2026, 10, 17, 8, 0, 0);
const story = clockedStory(T0);

test('typing a real code uploads the chosen days; a wrong code or a reused one changes nothing', async () => {
  const b = weappPhone(new SimWorld(T0), story.server.url, { name: 'B' });
  const { renderPage } = loadWeapp(b);
  const home = renderPage('pages/home/index');
  await waitFor(() => b.store.get('prtc.tek'), 'the tek');
  const tek = b.store.get('prtc.tek');

  // three days later the user tests positive: the days since the tek was made are offered
  story.setNow(T0 + 3 * 86400_000);
  const report = renderPage('pages/report/index');
  await waitFor(() => report.querySelector('#upload'), 'the report page');
  const first = dayInterval(enin(T0 / 1000));
  const days = [0, 1, 2, 3].map((k) => first + k * ROLLING_PERIOD);
  for (const i of days) expect(report.querySelector(`#day-${i}`)).toBeTruthy();
  expect(report.querySelector(`#day-${first - ROLLING_PERIOD}`)).toBeFalsy();
  expect(report.querySelector('#day-' + days[0])!.dom.textContent).toBe('☑ 17 Nov');

  const type = (text: string) => report.querySelector('#code')!.dispatchEvent('input', { detail: { value: text } });
  type('ABCDE-1234');
  report.querySelector('#upload')!.dispatchEvent('tap');
  await waitFor(() => report.querySelector('#result'), 'a refusal');
  expect(report.querySelector('#result')!.dom.textContent).toBe('A code has 10 letters and digits, like ABCDE-12345.');

  type('ABCDE-23456');
  report.querySelector('#upload')!.dispatchEvent('tap');
  await waitFor(() => report.querySelector('#result')?.dom.textContent?.includes('not known'), 'an unknown code');
  expect(b.store.get('prtc.tek')).toBe(tek);

  const code = await issueCode(story.server, await newToken(story.server));
  report.querySelector(`#day-${days[1]}`)!.dispatchEvent('tap'); // leave 2026-11-18 out
  await waitFor(() => report.querySelector(`#day-${days[1]}`)!.dom.textContent!.includes('left out'), 'day left out');
  type(code.toLowerCase());
  report.querySelector('#upload')!.dispatchEvent('tap');
  await waitFor(() => report.querySelector('#result')?.dom.textContent?.startsWith('Thank you'), 'the upload');
  expect(report.querySelector('#result')!.dom.textContent).toBe('Thank you. 3 daily keys were uploaded; your phone now uses new keys.');
  expect(b.store.get('prtc.tek')).not.toBe(tek);

  // the next day (the upload day's key is published only once that day is over) the server
  // publishes exactly the three chosen days
  story.setNow(T0 + 4 * 86400_000);
  expect(await story.server.services.publishing.publish()).toEqual([1]);
  const batch = decodeBatch(new Uint8Array(await (await fetch(`${story.server.url}/v1/batches/1`)).arrayBuffer()));
  expect(batch.days.map((d) => [d.i, d.keys.length])).toEqual([
    [days[0], 1],
    [days[2], 1],
    [days[3], 1],
  ]);
  await waitFor(() => home.querySelector('#status')?.dom.textContent === 'Red', "the uploader's own status");

  type(code);
  report.querySelector('#upload')!.dispatchEvent('tap');
  await waitFor(() => report.querySelector('#result')?.dom.textContent?.includes('already used'), 'a reused code');
});
