/**
 * tools/build.ts, the one build entry point: a usage error builds nothing and says what the targets
 * are; and the preload that lets Taro's plug-in build finish (tools/build/taro.ts says why) accepts
 * exactly the rejection Taro leaves behind — an ENOENT for <cwd>/src/plugin/doc — and lets any other
 * unhandled rejection fail the process, as Node's default `--unhandled-rejections=throw` does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../helpers/run-tool';

const PRELOAD = join(__dirname, '../../tools/build/taro-plugin-doc.cjs');

describe('npm run build -- <target...>', () => {
  test('an unknown target: exit status 2, one line naming the targets, nothing built', () => {
    const r = runTool('tools/build.ts', ['weapp', 'nonsense']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/'nonsense'.*weapp, plugin, alipay, h5, playground, cloud, venue, bench, all/);
  });

  test('no target: exit status 2', () => {
    const r = runTool('tools/build.ts', []);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/missing required argument/);
  });
});

describe("the preload of Taro's plug-in build", () => {
  let cwd: string;
  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'prtc-preload-'));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  /** A script that leaves `reason` as an unhandled rejection, then keeps running for a moment. */
  const rejectWith = (reason: string) =>
    spawnSync(process.execPath, ['--require', PRELOAD, '-e', `Promise.reject(${reason}); setTimeout(() => console.log('went on'), 50);`], {
      cwd,
      encoding: 'utf8',
    });
  const enoent = (path: string) =>
    `Object.assign(new Error('ENOENT: no such file or directory, lstat ' + ${JSON.stringify(path)}), { errno: -2, code: 'ENOENT', syscall: 'lstat', path: ${JSON.stringify(path)} })`;

  test("Taro's copy of the missing src/plugin/doc: noted on stderr, the build goes on to exit 0", () => {
    const r = rejectWith(enoent(join(cwd, 'src/plugin/doc')));
    expect([r.status, r.stdout]).toEqual([0, 'went on\n']);
    expect(r.stderr).toMatch(/src\/plugin\/doc/);
  });

  test('any other unhandled rejection ends the build with exit status 1 and its message', () => {
    for (const reason of [enoent(join(cwd, 'src/other')), "new Error('webpack: Module build failed')", "'a string'"]) {
      const r = rejectWith(reason);
      expect([r.status, r.stdout]).toEqual([1, '']);
      expect(r.stderr).toMatch(/unhandled rejection/);
    }
  });
});
