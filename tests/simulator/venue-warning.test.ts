/**
 * Story 5 — a venue warning on the real weapp build. Phone B (the mini-program) checks in at a café
 * from its poster code on pages/checkin; phone A (device services on a simulated host) was there
 * too, tests positive the next day and uploads its check-ins; after a sync B's home page is red,
 * naming the café, the day and the minutes of overlap.
 */
import { SimWorld } from '../../testkit/world';
import { agreeToPrivacy, clockedStory, loadWeapp, weappPhone, waitFor } from '../helpers/weapp';
import { issueCode, newToken } from '../helpers/server';
import { checkInAt, makePhone } from '../helpers/phones';
import { venueLinkCli } from '../helpers/run-tool';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const story = clockedStory(T0);

test('checked in at the same café as someone who later tests positive: home turns red with the café named', async () => {
  const cafe = venueLinkCli('Café Lumière', 60); // the CLI's default visit, 60 minutes
  const world = new SimWorld(T0);
  const a = makePhone(world, 'A', story.server.url);
  await a.device.start();
  await checkInAt(a, cafe, 60); // A: 12:00–13:00

  const b = weappPhone(world, story.server.url, { name: 'B' });
  const { renderPage } = loadWeapp(b);
  const home = renderPage('pages/home/index');
  await waitFor(() => home.querySelector('#status')?.dom.textContent === 'Green', 'green');

  story.setNow(T0 + 20 * 60_000); // 12:20 B scans the poster and checks in
  const checkin = renderPage('pages/checkin/index');
  await waitFor(() => checkin.querySelector('#scan'), 'the check-in page');
  b.cameraQueue.push(cafe);
  checkin.querySelector('#scan')!.dispatchEvent('tap');
  await agreeToPrivacy(checkin, b);
  await waitFor(() => checkin.querySelector('#stay-60'), 'stay choices');
  checkin.querySelector('#stay-60')!.dispatchEvent('tap');
  await waitFor(() => checkin.querySelector('#current'), 'checked in');
  story.setNow(T0 + 45 * 60_000); // 12:45 B leaves and checks out by hand: 25 minutes there with A
  checkin.querySelector('#checkout')!.dispatchEvent('tap');
  await waitFor(() => !checkin.querySelector('#current'), 'checked out');

  // the next day A tests positive and uploads keys and check-ins; the server publishes
  world.advance(24 * 3600_000);
  story.setNow(world.timeMs);
  const up = await a.device.upload(await issueCode(story.server, await newToken(story.server)), [], true);
  expect(up.text).toMatch(/^Thank you/);
  expect(await story.server.services.publishing.publish()).toEqual([1]);

  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#status')?.dom.textContent === 'Red', 'red after sync');
  // the venue and the overlap (12:20–12:45: the afternoon, 25 minutes), as coarse as every reason
  expect(home.querySelector('#reasons')!.dom.textContent).toContain(
    'Fri 20 Nov, afternoon: at Café Lumière while someone who later tested positive was there, for 10 to 30 minutes.',
  );
  // B's check-in stayed on B: the only writes the server saw were the clinic's code and A's upload
  expect(story.server.logs.filter((l) => l.startsWith('POST')).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
    'POST /v1/authority/codes',
    'POST /v1/diagnosis-keys',
  ]);
});
