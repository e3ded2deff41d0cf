/** `npm run demo` as a newcomer runs it: a real process, exit 0, all three colours for their reasons. */
import { runTool } from '../helpers/run-tool';

test('the demo tells the whole story and ends red, yellow and green for the right reasons', () => {
  const r = runTool('tools/demo.ts', ['--seed', 'ci', '--phones', '9', '--days', '2']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const line = (name: string) => r.stdout.split('\n').find((l) => new RegExp(`^ *${name} +\\[`).test(l)) ?? '';
  expect(line('Alice')).toMatch(/\[Red +\] +You reported a positive test/);
  // reasons as a user reads them: the day and its weekday, the part of the day, a band, how close
  // (Bob: 30 minutes beside Alice; Chen: 20 minutes 8 m away; Fang 40 and Gus 10 minutes of overlap)
  const day = '[A-Z][a-z]{2} \\d{1,2} [A-Z][a-z]{2}, (morning|afternoon|evening|night)';
  expect(line('Bob')).toMatch(
    new RegExp(`\\[Red +\\] +${day}: near a phone whose owner later tested positive, for 30 to 60 minutes, close by\\.$`),
  );
  expect(line('Chen')).toMatch(new RegExp(`\\[Yellow\\] +${day}: near .* for 10 to 30 minutes, a few metres away\\.$`));
  expect(line('Dana')).toMatch(/\[Green +\] +No exposure found/);
  // issue 31: a venue reason says which rule applied — Café Lumière is a restaurant, where by the
  // default rules one diagnosed visitor is enough
  const cafeRule = ' At this kind of place \\(Restaurant\\) one is enough: the threshold is 1\\.';
  expect(line('Fang')).toMatch(new RegExp(`\\[Red +\\] +${day}: at Café Lumière while .* for 30 to 60 minutes\\.${cafeRule}$`));
  expect(line('Gus')).toMatch(new RegExp(`\\[Yellow\\] +${day}: at Café Lumière while .* for 10 to 30 minutes\\.${cafeRule}$`));
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
