/**
 * The playground page: one simulated world (clock and radio, testkit/world.ts), N phones each
 * running the H5 build of the mini-program in a frame of its own over its own simulated handset
 * (own storage, own keys, own switches), a gate phone, a clinic and the key server's publisher.
 * Nothing here knows the app's pages: each frame opens the build's first page and the person (or
 * the test) uses the phone as a phone.
 *
 * The clock runs at real speed unless paused (`?paused=1`, or the button); the fast-forward buttons
 * run the world's timers through the time that passes — every phone's ticks, rotations and checks,
 * the radio once a simulated minute.
 */
import type { Language } from '../../../miniprogram/host/types';
import type { SimPhone } from '../../../testkit/handset';
import { SimWorld } from '../../../testkit/world';
import { mountField } from './field';
import { readShownQr } from './gate';
import { emulateNativeButtons } from './native';
import { attachFrame, browserPhone, SIM_TIME_HEADER, type PhoneSpec } from './phone';
import { phoneCard, type Knob } from './knobs';

/** What the playground's server tells the page (GET config.json). */
export interface PlaygroundConfig {
  phones: PhoneSpec[];
  gate: PhoneSpec;
  /** Unix ms the world's clock starts at. */
  startMs: number;
  /** The H5 build's folder, relative to this page. */
  app: string;
  /** A health-authority token the playground's server created (the clinic panel issues codes with it). */
  authorityToken: string;
  languages: Language[];
}

/** How often the radio delivers what is on air to every scanning phone (the device tests: once a minute). */
const RADIO_EVERY_MS = 60_000;

const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;

async function main() {
  const config = (await (await fetch('config.json')).json()) as PlaygroundConfig;
  const params = new URLSearchParams(location.search);
  const world = new SimWorld(config.startMs);
  world.addTimer(null, RADIO_EVERY_MS, () => world.deliver(), true);

  const phones = new Map<string, SimPhone>();
  for (const spec of [...config.phones, config.gate]) phones.set(spec.name, browserPhone(world, spec, config.app));
  const walkers = config.phones.map((s) => phones.get(s.name)!);
  const gate = phones.get(config.gate.name)!;

  // each frame asks for its phone before the app's scripts run (the server puts that line into the build's index.html)
  (window as unknown as { prtcPlayground: unknown }).prtcPlayground = {
    attach(win: Window & Record<string, unknown>) {
      const name = new URLSearchParams(win.location.search).get('phone') ?? '';
      const phone = phones.get(name);
      if (!phone) throw new Error(`no phone called "${name}" in this playground`);
      attachFrame(phone, win as never);
      emulateNativeButtons(phone, win.document);
    },
  };

  // ---- the clock
  const clock = $('#clock');
  const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
  const showTime = () => {
    clock.textContent = fmt.format(new Date(world.timeMs));
    clock.dataset.ms = String(world.timeMs);
  };
  world.onTime = showTime;
  showTime();
  let paused = params.get('paused') === '1';
  let busy: Promise<void> = Promise.resolve();
  const status = $('#world-status');
  /** Runs the world for `ms`, one run at a time; the real-time clock waits meanwhile. */
  const run = (ms: number, label?: string) => {
    busy = busy.then(async () => {
      if (label) status.textContent = `${label}…`;
      await world.run(ms);
      if (label) status.textContent = `${label}: done`;
    });
    return busy;
  };
  const playBtn = $<HTMLButtonElement>('#play');
  const showPlay = () => {
    playBtn.textContent = paused ? '▶ Run the clock' : '⏸ Pause the clock';
    playBtn.setAttribute('aria-pressed', String(!paused));
  };
  playBtn.addEventListener('click', () => {
    paused = !paused;
    showPlay();
  });
  showPlay();
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const ms = now - last;
    last = now;
    if (!paused) void run(ms);
  }, 250);
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-forward]'))) {
    b.addEventListener('click', () => void run(Number(b.dataset.forward) * 60_000, `fast-forward ${b.textContent}`));
  }

  // ---- the room and the phones
  const redraw = mountField($('#field-box'), $('#distances'), world, walkers);
  const row = $('#phones');
  for (const spec of config.phones) row.append(phoneCard(phones.get(spec.name)!, spec, config, knobsOf));

  // ---- the gate
  const gateBox = $('#gate-box');
  gateBox.append(phoneCard(gate, config.gate, config, knobsOf, 'pages/gate/index'));
  const visitor = $<HTMLSelectElement>('#gate-visitor');
  for (const s of config.phones) visitor.append(new Option(s.name, s.name));
  const out = $('#gate-note');
  /** The gate's camera sees `code`: the gate page's scan button is tapped with it in front of the camera. */
  const showToGate = (code: string, what: string) => {
    const scan = $<HTMLIFrameElement>(`#frame-${gate.name}`).contentDocument?.querySelector<HTMLElement>('#scan');
    if (!scan) {
      out.textContent = 'the gate phone is not on its gate page';
      return;
    }
    gate.cameraQueue.push(code);
    scan.click();
    out.textContent = what;
  };
  const readVisitor = async (): Promise<string | null> => {
    const code = await readShownQr($<HTMLIFrameElement>(`#frame-${visitor.value}`).contentDocument!);
    if (!code) out.textContent = `${visitor.value}'s screen shows no health code (open the home page; a code needs a check first)`;
    return code;
  };
  let photo: { code: string; of: string; at: number } | null = null;
  $('#gate-show').addEventListener('click', async () => {
    const code = await readVisitor();
    if (code) showToGate(code, `${visitor.value}'s screen held up to the gate's camera`);
  });
  // a photo of the screen: the code as it was, shown later (the gate refuses a code older than 60 s)
  $('#gate-photo').addEventListener('click', async () => {
    const code = await readVisitor();
    if (!code) return;
    photo = { code, of: visitor.value, at: world.timeMs };
    out.textContent = `took a photo of ${visitor.value}'s screen`;
  });
  $('#gate-show-photo').addEventListener('click', () => {
    if (!photo) out.textContent = 'no photo taken yet';
    else
      showToGate(
        photo.code,
        `a photo of ${photo.of}'s screen, ${Math.round((world.timeMs - photo.at) / 1000)} s old, held up to the gate's camera`,
      );
  });

  // ---- the clinic and the server
  const simHeaders = () => ({ [SIM_TIME_HEADER]: String(world.timeMs) });
  $('#issue-code').addEventListener('click', async () => {
    const r = await fetch('v1/authority/codes', {
      method: 'POST',
      headers: { authorization: `Bearer ${config.authorityToken}`, ...simHeaders() },
    });
    const body = (await r.json()) as { code?: string; error?: string };
    $('#clinic-code').textContent = body.code ?? `refused: ${body.error ?? r.status}`;
  });
  $('#publish').addEventListener('click', async () => {
    const r = await fetch('playground/publish', { method: 'POST', headers: simHeaders() });
    const body = (await r.json()) as { batches?: number[]; error?: string };
    $('#publish-result').textContent = body.batches
      ? body.batches.length
        ? `published batch ${body.batches.join(', ')}`
        : 'nothing to publish (no keys waiting)'
      : `failed: ${body.error}`;
  });

  (window as unknown as { prtcWorld: unknown }).prtcWorld = { world, phones, redraw, run: (ms: number) => run(ms), idle: () => busy };
  document.body.dataset.ready = '1';
}

/**
 * The switches each phone card offers, as the handset has them: the system's Bluetooth and location
 * switches, the network, and the app on screen or in the background (App.onHide, suspension after
 * 5 s). A handset
 * with more knobs (issue 28: the screen, background location) gets them here.
 */
function knobsOf(phone: SimPhone): Knob[] {
  const knobs: Knob[] = [
    { id: 'bt', label: 'Bluetooth', get: () => phone.bluetoothOn, set: (on) => phone.setBluetooth(on) },
    {
      id: 'loc',
      label: 'Location',
      get: () => phone.locationOn,
      set: (on) => {
        phone.locationOn = on;
      },
    },
    {
      id: 'net',
      label: 'Network',
      get: () => phone.networkUp,
      set: (on) => {
        phone.networkUp = on;
      },
    },
    { id: 'fg', label: 'On screen', get: () => phone.foreground, set: (on) => (on ? phone.show() : phone.hide()) },
  ];
  // background running (docs/wechat-host.md): the screen (locking it hides the mini-program) and
  // WeChat's location permission, which background mode needs as "also after leaving"; the app's
  // own switch is on each phone's Settings page
  knobs.push(
    { id: 'screen', label: 'Screen on', get: () => phone.screenOn, set: (on) => phone.setScreen(on) },
    {
      id: 'bgloc',
      label: 'Location also in background',
      get: () => phone.scopes['scope.userLocationBackground'] === true,
      set: (on) => phone.chooseLocation(on ? 'always' : 'while_using'),
    },
  );
  return knobs;
}

void main().catch((e: Error) => {
  document.body.dataset.error = e.message;
  $('#world-status').textContent = `the playground could not start: ${e.message}`;
});
