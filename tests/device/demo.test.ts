/** `npm run demo` as a newcomer runs it: a real process, exit 0, all three colours for their reasons. */
import { runTool } from '../helpers/run-tool';

test('the demo tells the whole story and ends red, yellow and green for the right reasons', () => {
  const r = runTool('tools/demo.ts', ['--seed', 'ci', '--phones', '9', '--days', '2']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const line = (name: string) => r.stdout.split('\n').find((l) => new RegExp(`^ *${name} +\\[`).test(l)) ?? '';
  expect(line('Alice')).toMatch(/\[Red +\] +You reported a positive test/);
  expect(line('Bob')).toMatch(/\[Red +\] +On \d{1,2} [A-Z][a-z]{2} you were near someone who later tested positive: 30 min \(30 min near/);
  expect(line('Chen')).toMatch(/\[Yellow\] +On .* 20 min \(0 min near, 20 min medium distance\)/);
  expect(line('Dana')).toMatch(/\[Green +\] +No exposure found/);
  expect(line('Fang')).toMatch(/\[Red +\] +You were at Café Lumière on .* for 40 minutes/);
  expect(line('Gus')).toMatch(/\[Yellow\] +You were at Café Lumière on .* for 10 minutes/);
  expect(r.stdout).toMatch(/This code was already used/);
  // the same seed gives the same story (keys, codes and all)
  const again = runTool('tools/demo.ts', ['--seed', 'ci', '--phones', '9', '--days', '2']);
  const stable = (s: string) =>
    s
      .replace(/http:\/\/127\.0\.0\.1:\d+/, '')
      .replace(/prtc-demo-\w+/, '')
      .replace(/public-key \S+/, '')
      .replace(/code over the API: \S+/, '')
      .replace(/PRTC-HC1:\S+/, '');
  expect(stable(again.stdout)).toBe(stable(r.stdout));
});

test('bad options get a one-line reason and exit 2', () => {
  const r = runTool('tools/demo.ts', ['--phones', '2']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--phones must be 6 to 50/);
});
