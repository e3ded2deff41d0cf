/**
 * The mini-program builds of tools/build.ts: Taro's CLI (`taro build`) in a child process, as its
 * documentation runs it, with config/index.js choosing the kind from the environment (TARO_ENV from
 * `--type`, PRTC_BUILD=plugin for the plug-in) and writing into dist/weapp, dist/alipay or
 * dist/weapp-plugin.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const TARO = join(ROOT, 'node_modules/@tarojs/cli/bin/taro');

export type TaroBuild = 'weapp' | 'alipay' | 'plugin';

const ARGS: Record<TaroBuild, string[]> = {
  weapp: ['build', '--type', 'weapp'],
  alipay: ['build', '--type', 'alipay'],
  plugin: ['build', '--plugin', 'weapp'],
};

/** Runs `taro build` for `kind`; rejects when Taro exits with anything but 0. */
export function taroBuild(kind: TaroBuild): Promise<void> {
  const env = { ...process.env };
  if (kind === 'plugin') env.PRTC_BUILD = 'plugin';
  else delete env.PRTC_BUILD; // config/index.js: PRTC_BUILD=plugin would make any build the plug-in
  const node = kind === 'plugin' ? ['--unhandled-rejections=warn'] : [];
  const child = spawn(process.execPath, [...node, TARO, ...ARGS[kind]], { cwd: ROOT, env, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`taro ${ARGS[kind].join(' ')} failed (${signal ?? `exit status ${code}`})`)),
    );
  });
}
