/**
 * Matching in the worker, on the real weapp build: phone B's WeChat runs dist/weapp/workers/index.js
 * (Node's worker_threads inside WeChat's worker globals, testkit/node-worker.ts) with the
 * .wasm the build made. While the worker holds a batch, the home page shows the sync's progress and
 * answers a tap; when the system reclaims the worker mid-batch (onProcessKilled), matching resumes
 * with a new one at that batch; the result is the same red as on the page thread.
 */
import { SimWorld } from '../../testkit/world';
import type { SimWorkerThread } from '../../testkit/handset';
import { nodeWorker } from '../../testkit/node-worker';
import { besideFor, clockedStory, loadWeapp, startTracingOnPages, waitFor, weappPhone, WEAPP_ROOT } from '../helpers/weapp';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const story = clockedStory(T0);
const workers = heldWorkers();
afterAll(() => workers.stopAll());

/** Worker threads whose answers to batches the test can hold back, to look at the page while a batch is being matched. */
function heldWorkers() {
  const run = nodeWorker({ root: WEAPP_ROOT });
  const state = { hold: false, held: [] as (() => void)[], started: 0, batches: 0 };
  const threads: SimWorkerThread[] = [];
  const batchIds = new Set<number>();
  const start = (path: string): SimWorkerThread => {
    state.started++;
    const t = run(path);
    threads.push(t);
    return {
      postMessage: (m) => {
        const msg = m as { op?: string; id: number };
        if (msg.op === 'batch') {
          state.batches++;
          batchIds.add(msg.id);
        }
        t.postMessage(m);
      },
      onMessage: (cb) =>
        t.onMessage((m) => {
          // answers to batches wait while the test holds them (the worker's `begin` answers at once)
          if (state.hold && batchIds.has((m as { id: number }).id)) state.held.push(() => cb(m));
          else cb(m);
        }),
      terminate: () => t.terminate(),
    };
  };
  const release = () => {
    state.hold = false;
    for (const f of state.held.splice(0)) f();
  };
  /** Ends every thread this test started (a live worker thread keeps jest's process from exiting). */
  const stopAll = () => threads.splice(0).forEach((t) => t.terminate());
  return { start, state, release, stopAll };
}

test('a sync matched in the worker: progress shown, a tap answered meanwhile, a reclaimed worker resumed, red with WebAssembly', async () => {
  const world = new SimWorld(T0);
  const b = weappPhone(world, story.server.url, { name: 'B', position: { x: 0, y: 0 }, worker: workers.start });
  const { renderPage } = loadWeapp(b);
  const { home, settings } = await startTracingOnPages(renderPage, b);
  const a = await besideFor(world, story.server.url, 20);
  await a.device.stopTracing();
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap'); // B stops too: the tap below asks again
  await waitFor(() => home.querySelector('#tracing-state')?.dom.textContent === 'Tracing is off', 'tracing off');

  world.advance(26 * 3600_000);
  story.setNow(world.timeMs);
  const clinic = await story.server.services.authority.authenticate(await story.server.services.authority.createToken('clinic'));
  const { code } = await story.server.services.authority.issueCode(clinic);
  expect((await a.device.upload(code, [], false)).ok).toBe(true);
  expect(await story.server.services.publishing.publish()).toEqual([1]);

  // the worker answers nothing until the test lets it: the sync stays in its matching phase
  workers.state.hold = true;
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => workers.state.batches >= 1 && workers.state.held.length >= 1, 'batch 1 sent to the worker');
  await waitFor(() => /Checking/.test(home.querySelector('#progress')?.dom.textContent ?? ''), 'the progress on the home page');
  // the page thread is free: a tap is answered while the batch is in the worker
  settings.querySelector('#consent')!.dispatchEvent('tap'); // consent withdrawn …
  await waitFor(() => !settings.querySelector('#consent-state'), 'consent withdrawn during the sync');
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap'); // … so tracing asks for it
  await waitFor(
    () => /Agree to the privacy notice/.test(home.querySelector('#message')?.dom.textContent ?? ''),
    'the tap answered during the sync',
  );
  expect(home.querySelector('#status')!.dom.textContent).toBe('Green');

  // the system reclaims the worker in the middle of the batch: a new one takes the batch again
  workers.state.held.length = 0;
  b.killWorker();
  workers.release();
  await waitFor(() => home.querySelector('#status')?.dom.textContent === 'Red', 'red after the sync', 30000);
  expect(workers.state.started).toBe(2);
  expect(workers.state.batches).toBe(2); // batch 1 twice: once per worker

  await waitFor(() => settings.querySelector('#matched-by'), 'where the check ran');
  expect(settings.querySelector('#matched-by')!.dom.textContent).toBe('Exposure checks run in a background thread (WebAssembly SIMD).');
});
