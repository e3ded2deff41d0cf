/**
 * Story 1 — first launch on the real weapp build: the tek is created from the host CRNG and stored;
 * the home page shows green with no exposure; before consent, tracing is off and says why; with
 * Bluetooth off the status is still shown and the error is explained.
 */
import { SimWorld } from '../../testkit/world';
import { agreeToPrivacy, loadWeapp, weappPhone, sleep, waitFor } from '../helpers/weapp';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('sqlite');
});
afterAll(async () => {
  await server.stop();
});

test('first launch creates a tek, home shows green; Bluetooth off and no consent are explained', async () => {
  const world = new SimWorld(Date.now());
  const phone = weappPhone(world, server.url, { name: 'B' });
  const { renderPage } = loadWeapp(phone);
  const home = renderPage('pages/home/index');
  await waitFor(() => phone.store.get('prtc.tek'), 'the tek to be stored');
  expect(phone.store.get('prtc.tek')).toMatch(/^1:[0-9a-f]{8}:\{"tek":"[0-9a-f]{64}","createdAt":\d+\}$/);
  await waitFor(() => home.querySelector('#status')?.dom.textContent === 'Green', 'green');
  expect(home.querySelector('#qr-missing')).toBeTruthy(); // no health code before the first check
  expect(home.dom.textContent).toContain('Tracing runs only while this mini-program is open');

  // tracing without consent: says what to do
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#tracing-state')?.dom.textContent === 'Tracing is off', 'still off');

  const settings = renderPage('pages/settings/index');
  await waitFor(() => settings.querySelector('#consent'), 'settings');
  settings.querySelector('#consent')!.dispatchEvent('tap');
  await waitFor(() => settings.querySelector('#consent-state'), 'consent');
  // the first Bluetooth call waits for WeChat's privacy agreement: the prompt explains, the user agrees
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await agreeToPrivacy(home, phone);
  await waitFor(() => home.querySelector('#tracing-state')?.dom.textContent === 'Tracing is on', 'tracing on after agreeing');
  expect(phone.privacyPrompts).toEqual(['openBluetoothAdapter']);
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#tracing-state')?.dom.textContent === 'Tracing is off', 'tracing off');
  phone.setBluetooth(false);
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#bt-error'), 'bluetooth error');
  expect(home.querySelector('#bt-error')!.dom.textContent).toMatch(/Bluetooth is off\. Turn it on/);
  expect(home.querySelector('#status')!.dom.textContent).toBe('Green');
  phone.setBluetooth(true);
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#tracing-state')?.dom.textContent === 'Tracing is on', 'tracing on');
  expect(phone.advertising?.manufacturerData?.[0].manufacturerId).toBe('0xFFFF');
  expect(phone.screenState.keepOn).toBe(true);
  await sleep(10);
});
