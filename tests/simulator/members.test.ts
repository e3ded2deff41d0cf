/**
 * Issue 32 on the real weapp build: phone B (the mini-program) adds two family members on its home
 * page, marks one "not with me", checks in at a café with the other as a companion on
 * pages/checkin; phone A (device services) was at the café too and tests positive the next day.
 * After a sync, B's home page shows the companion with B's colour and the member away green with
 * what its code cannot know; the companion's code, read off the screen, is a member's code at B's own
 * gate page: "Family member 1 of 2 on this phone", nothing personal.
 */
import { SimWorld } from '../../testkit/world';
import { agreeToPrivacy, clockedStory, imageSrc, loadWeapp, weappPhone, waitFor, type SimComponent } from '../helpers/weapp';
import { issueCode, newToken } from '../helpers/server';
import { checkInAt, makePhone } from '../helpers/phones';
import { venueLinkCli } from '../helpers/run-tool';
import { qrOfPng } from '../helpers/venue-link';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const story = clockedStory(T0);
const text = (page: SimComponent, id: string) => page.querySelector(id)?.dom.textContent ?? '';

/** The QR on screen, read as a gate's camera would (jsQR over the drawn image). */
async function qrText(page: SimComponent): Promise<string | null> {
  const src = imageSrc(page, 'qr');
  if (!src) return null;
  return (await qrOfPng(Buffer.from(src.split(',')[1], 'base64'))).text;
}

test("a companion at a café shares the user's colour, a member away stays green and says why; the gate reads its place only", async () => {
  const cafe = venueLinkCli('Café Lumière', 60); // the CLI's default visit, 60 minutes
  const world = new SimWorld(T0);
  const a = makePhone(world, 'A', story.server.url);
  await a.device.start();
  await checkInAt(a, cafe, 60); // A: 12:00–13:00

  const b = weappPhone(world, story.server.url, { name: 'B' });
  const { renderPage } = loadWeapp(b);
  const home = renderPage('pages/home/index');
  await waitFor(() => home.querySelector('#member-add-btn'), 'the members card');
  expect(text(home, '#members')).toContain('a nickname and a colour, nothing more');
  for (const [nick, colour] of [
    ['Mia', 'teal'],
    ['外公', 'orange'],
  ]) {
    home.querySelector('#member-nickname')!.dispatchEvent('input', { detail: { value: nick } });
    home.querySelector(`#member-colour-${colour}`)!.dispatchEvent('tap');
    home.querySelector('#member-add-btn')!.dispatchEvent('tap');
    await waitFor(() => text(home, '#members').includes(nick), `${nick} added`);
  }
  // Mia was at kindergarten 08:00–09:00 this morning: marked afterwards with the pickers
  home.querySelector('#away-earlier-1')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#away-form-1'), 'the form for a period away');
  const pick = (id: string, value: string) => home.querySelector(id)!.dispatchEvent('change', { detail: { value } });
  pick('#away-from-date-1', '2026-11-20');
  pick('#away-from-time-1', '09:00');
  pick('#away-to-date-1', '2026-11-20');
  pick('#away-to-time-1', '08:00');
  await waitFor(() => /09:00.*08:00/.test(text(home, '#away-form-1')), 'the pickers read 09:00 and 08:00');
  home.querySelector('#away-save-1')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#away-error-1'), 'a period ending before it starts is refused');
  expect(text(home, '#away-error-1')).toContain('periods away lie within the last 14 days');
  pick('#away-from-time-1', '08:00');
  pick('#away-to-time-1', '09:00');
  await waitFor(() => /08:00.*09:00/.test(text(home, '#away-form-1')), 'the pickers read 08:00 and 09:00');
  home.querySelector('#away-save-1')!.dispatchEvent('tap');
  await waitFor(() => !home.querySelector('#away-form-1'), 'the period saved');
  expect(text(home, '#member-1')).toContain('Not with you 20 Nov 08:00 – 20 Nov 09:00');
  // Grandpa is out from 12:00 ("not with me from now")
  home.querySelector('#away-member-2')!.dispatchEvent('tap');
  await waitFor(() => text(home, '#member-2').includes('Not with you since'), 'Grandpa away');

  story.setNow(T0 + 20 * 60_000); // 12:20 B checks in at the café with Mia
  const checkin = renderPage('pages/checkin/index');
  await waitFor(() => checkin.querySelector('#scan'), 'the check-in page');
  b.cameraQueue.push(cafe);
  checkin.querySelector('#scan')!.dispatchEvent('tap');
  await agreeToPrivacy(checkin, b);
  await waitFor(() => checkin.querySelector('#with-member-1'), 'the members to check in with');
  checkin.querySelector('#with-member-1')!.dispatchEvent('tap');
  await waitFor(() => text(checkin, '#companions-count') === 'Family members checking in with you: 1', 'one companion');
  checkin.querySelector('#stay-60')!.dispatchEvent('tap');
  await waitFor(() => checkin.querySelector('#current'), 'checked in');
  expect(text(checkin, '#checkins')).toContain('with Mia');
  story.setNow(T0 + 45 * 60_000); // 12:45: 25 minutes with A (red, as in venue-warning.test.ts)
  checkin.querySelector('#checkout')!.dispatchEvent('tap');
  await waitFor(() => !checkin.querySelector('#current'), 'checked out');

  // the next day A tests positive and uploads its check-ins; the server publishes; B checks
  world.advance(24 * 3600_000);
  story.setNow(world.timeMs);
  expect((await a.device.upload(await issueCode(story.server, await newToken(story.server)), [], true)).ok).toBe(true);
  expect(await story.server.services.publishing.publish()).toEqual([1]);
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => text(home, '#status') === 'Red', 'red after sync');
  await waitFor(() => text(home, '#member-1').includes('Red'), 'Mia red');
  expect(text(home, '#member-1')).toContain('at Café Lumière');
  expect(text(home, '#member-2')).toContain('Green');
  expect(text(home, '#member-2')).toContain('this code cannot say whether 外公 met anyone then');
  expect(text(home, '#member-knows')).toContain('a child at school alone is not traced');

  // Mia's code on the home page, read off the screen
  home.querySelector('#show-member-1')!.dispatchEvent('tap');
  await waitFor(() => text(home, '#member-code-of') === "Mia's code · member 1 of 2 on this phone", "Mia's code");
  expect(text(home, '#status')).toBe('Red');
  await waitFor(() => imageSrc(home, 'qr'), 'the QR');
  const code = await qrText(home);
  expect(code).toMatch(/^PRTC-HC1:Aw/); // version 0x03 (§16)

  const gate = renderPage('pages/gate/index');
  await waitFor(() => gate.querySelector('#scan'), 'the gate page');
  b.cameraQueue.push(code!);
  gate.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => gate.querySelector('#gate-status'), 'a verdict');
  expect(text(gate, '#gate-status')).toBe('Red');
  expect(text(gate, '#gate-member')).toBe('Family member 1 of 2 on this phone');
  expect(text(gate, '#gate-screen')).not.toContain('Mia');
});
