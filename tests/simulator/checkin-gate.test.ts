/**
 * Story 3 — venue check-in and the gate, on the real weapp build. Phone B is the mini-program: it
 * scans a venue poster's code (made with the prtc tool) on pages/checkin, and, as venue staff, scans
 * visitors' health codes on pages/gate. Phone A is a visitor whose phone has synced with the real
 * server on loopback, so its health code carries a genuine signed checkpoint.
 */
import type { SimPhone } from '../../testkit/handset';
import { SimWorld } from '../../testkit/world';
import { decodeHealthCode, encodeHealthCode } from '../../shared/protocol/healthcode';
import { agreeToPrivacy, loadWeapp, weappPhone, waitFor, type LoadedApp } from '../helpers/weapp';
import { startTestServer, uploadOneKeyAndPublish, type TestServer } from '../helpers/server';
import { makePhone, startPhones } from '../helpers/phones';
import { venueLinkCli } from '../helpers/run-tool';

let server: TestServer;
let b: SimPhone;
let renderPage: LoadedApp['renderPage'];
beforeAll(async () => {
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(Date.now() / 1000) } as never);
  // one weapp per test file (the build's modules load once): phone B is a visitor, then venue staff
  b = weappPhone(new SimWorld(Date.now()), server.url, { name: 'B' });
  ({ renderPage } = loadWeapp(b));
});
afterAll(async () => {
  await server.stop();
});

test('checking in at a venue from its poster code; a foreign code is refused and nothing is stored', async () => {
  const link = venueLinkCli('Café Lumière');
  const page = renderPage('pages/checkin/index');
  await waitFor(() => page.querySelector('#scan'), 'the check-in page');
  expect(page.querySelector('#checkins')!.dom.textContent).toMatch(/No check-ins/i);

  b.cameraQueue.push('WIFI:S:cafe;T:WPA;P:secret;;');
  page.querySelector('#scan')!.dispatchEvent('tap');
  await agreeToPrivacy(page, b); // the camera's scanner waits for the privacy agreement, once
  await waitFor(() => page.querySelector('#checkin-error'), 'a refusal');
  expect(page.querySelector('#checkin-error')!.dom.textContent).toBe('This code cannot be used: this QR code is not a venue code.');
  expect(b.store.has('prtc.checkins')).toBe(false);

  b.cameraQueue.push(link);
  page.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#venue-desc'), 'the scanned venue');
  expect(page.querySelector('#checkin-error')).toBeFalsy();
  expect(page.querySelector('#venue-desc')!.dom.textContent).toBe('Café Lumière');
  // quick choices: the venue's default (45) and 30/60/90/120 minutes
  for (const m of [30, 45, 60, 90, 120]) expect(page.querySelector(`#stay-${m}`)).toBeTruthy();
  expect(page.querySelector('#stay-45')!.dom.textContent).toBe('45 min (venue default)');
  page.querySelector('#stay-90')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#current'), 'checked in');
  // the time alone while the stay ends today; a stay that ends after midnight names its day too
  const end = new Date(Date.now() + 90 * 60_000);
  const sameDay = end.toISOString().slice(0, 10) === new Date().toISOString().slice(0, 10);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][end.getUTCMonth()];
  const until = `${sameDay ? '' : `${end.getUTCDate()} ${month}, `}${end.toISOString().slice(11, 16)}`;
  expect(page.querySelector('#current')!.dom.textContent).toContain(`Checked in at Café Lumière until ${until}`);
  expect(page.querySelector('#checkins')!.dom.textContent).toContain('Café Lumière');
  const stored = JSON.parse(b.store.get('prtc.checkins')!.replace(/^1:[0-9a-f]{8}:/, ''));
  expect(stored).toHaveLength(1);
  expect(stored[0].checkOutAt - stored[0].checkInAt).toBe(90 * 60);

  page.querySelector('#checkout')!.dispatchEvent('tap');
  await waitFor(() => !page.querySelector('#current'), 'checked out');
  expect(page.querySelector('#checkins')!.dom.textContent).toContain('Café Lumière');
});

test('the gate page: a fresh genuine code shows its colour; a screenshot or a forgery shows why; no visitor log', async () => {
  // some published keys so that phones have a signed checkpoint to show
  const world = new SimWorld(Date.now());
  const a = makePhone(world, 'A', server.url);
  await startPhones([a], false);
  const up = await uploadOneKeyAndPublish(server, Date.now() / 1000);
  expect(up.status).toBe(201);
  expect(up.published).toEqual([1]);
  expect((await a.device.runSync()).ok).toBe(true);
  const genuine = a.device.healthCode()!;
  expect(genuine).toMatch(/^PRTC-HC1:/);
  const h = decodeHealthCode(genuine);
  const screenshot = encodeHealthCode({ ...h, issuedAt: h.issuedAt - 120, statusComputedAt: h.statusComputedAt - 120 });
  // the phone's code carries the signed root (§15); one flipped bit of its signature is a forgery
  const sig = (h.root ?? h.checkpoint).signature.slice();
  sig[0] ^= 1;
  const claim = { status: 'green' as const, issuedAt: h.issuedAt, statusComputedAt: h.statusComputedAt };
  const forged = h.root
    ? encodeHealthCode({ ...claim, root: { ...h.root, signature: sig } })
    : encodeHealthCode({ ...claim, checkpoint: { ...h.checkpoint, signature: sig } });

  const gate = renderPage('pages/gate/index');
  await waitFor(() => gate.querySelector('#scan'), 'the gate page');
  const keysBefore = [...b.store.keys()].sort();

  b.cameraQueue.push(genuine);
  gate.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => gate.querySelector('#gate-status'), 'a verdict');
  expect(gate.querySelector('#gate-status')!.dom.textContent).toBe('Green');
  expect(gate.querySelector('#gate-screen')!.dom.className).toContain('status-green');
  expect(gate.querySelector('#gate-reason-0')).toBeFalsy();

  // one tap on the verdict goes straight back to the scanner
  b.cameraQueue.push(screenshot);
  gate.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => gate.querySelector('#gate-reason-0'), 'a reason');
  expect(gate.querySelector('#gate-status')!.dom.textContent).toBe('Not valid');
  expect(gate.querySelector('#gate-reason-0')!.dom.textContent).toBe('The code is older than 60 seconds (a screenshot?).');

  b.cameraQueue.push(forged);
  gate.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => gate.querySelector('#gate-reason-0')?.dom.textContent?.includes('forged'), 'the forgery reason');
  expect(gate.querySelector('#gate-status')!.dom.textContent).toBe('Not valid');

  b.cameraQueue.push('https://example.com/not-a-health-code');
  gate.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => gate.querySelector('#gate-reason-0')?.dom.textContent === 'This is not a PrTC health code.', 'a foreign code');

  // the gate pinned the server key (first use, development build) and stored nothing about visitors
  expect([...b.store.keys()].filter((k) => !keysBefore.includes(k)).filter((k) => k !== 'prtc.pinnedKey')).toEqual([]);
});
