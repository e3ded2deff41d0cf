/**
 * The mini-program builds of tools/build.ts: Taro's CLI (`taro build`) in a child process, as its
 * documentation runs it, with config/index.js choosing the kind from the environment (TARO_ENV from
 * `--type`, PRTC_BUILD=plugin for the plug-in) and writing into dist/weapp, dist/alipay,
 * dist/weapp-plugin or dist/h5 (the pages for the browser, Taro's H5 platform).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const TARO = join(ROOT, 'node_modules/@tarojs/cli/bin/taro');

/**
 * Taro 4.2.1's plug-in build, once both of its webpack builds are done, copies `<cwd>/src/plugin/doc`
 * to `<cwd>/miniprogram/doc` (node_modules/@tarojs/cli/dist/presets/platforms/plugin.js, after
 * `buildPlugin`): a path fixed to Taro's default layout, copied with fs-extra's promise-returning
 * `copy` neither awaited nor given a callback, so its try/catch never sees the ENOENT. The rejection
 * is unhandled and Node (default `--unhandled-rejections=throw`) ends the build with exit status 1
 * although everything was written. This repository has no src/ (and must not get one: the copy
 * would write into miniprogram/, the source). The preload accepts exactly that rejection and lets
 * every other one fail the build, where `--unhandled-rejections=warn` would have let any through.
 */
const PLUGIN_DOC_PRELOAD = join(__dirname, 'taro-plugin-doc.cjs');

export type TaroBuild = 'weapp' | 'alipay' | 'plugin' | 'h5';

const ARGS: Record<TaroBuild, string[]> = {
  weapp: ['build', '--type', 'weapp'],
  alipay: ['build', '--type', 'alipay'],
  plugin: ['build', '--plugin', 'weapp'],
  h5: ['build', '--type', 'h5'],
};

/** Runs `taro build` for `kind`; rejects when Taro exits with anything but 0. */
export function taroBuild(kind: TaroBuild): Promise<void> {
  const env = { ...process.env };
  if (kind === 'plugin') env.PRTC_BUILD = 'plugin';
  else delete env.PRTC_BUILD; // config/index.js: PRTC_BUILD=plugin would make any build the plug-in
  const node = kind === 'plugin' ? ['--require', PLUGIN_DOC_PRELOAD] : [];
  const child = spawn(process.execPath, [...node, TARO, ...ARGS[kind]], { cwd: ROOT, env, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`taro ${ARGS[kind].join(' ')} failed (${signal ?? `exit status ${code}`})`)),
    );
  });
}
