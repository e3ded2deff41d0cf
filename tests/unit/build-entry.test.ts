/**
 * tools/build.ts, the one build entry point: a usage error builds nothing and says what the targets
 * are.
 */
import { runTool } from '../helpers/run-tool';

describe('npm run build -- <target...>', () => {
  test('an unknown target: exit status 2, one line naming the targets, nothing built', () => {
    const r = runTool('tools/build.ts', ['weapp', 'nonsense']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/'nonsense'.*weapp, plugin, alipay, cloud, venue, bench, all/);
  });

  test('no target: exit status 2', () => {
    const r = runTool('tools/build.ts', []);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/missing required argument/);
  });
});
