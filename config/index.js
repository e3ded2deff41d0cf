// Taro build configuration, written by hand (`taro init` needs the network for its templates).
// The server URL and its Ed25519 public key are pinned into the build from the environment or
// from prtc.config.json (see README: "Building the mini-program").
const fs = require('fs');
const path = require('path');

function buildSettings() {
  const file = path.join(__dirname, '..', 'prtc.config.json');
  const fromFile = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  return {
    serverUrl: process.env.PRTC_SERVER_URL || fromFile.serverUrl || 'http://127.0.0.1:8080',
    publicKey: process.env.PRTC_PUBLIC_KEY || fromFile.publicKey || '',
    backend: process.env.PRTC_BACKEND || fromFile.backend || 'http',
    cloudEnv: process.env.PRTC_CLOUD_ENV || fromFile.cloudEnv || '',
  };
}

/**
 * Which build: the mini-program for WeChat or Alipay (TARO_ENV), or the WeChat plug-in with the
 * host mini-program that embeds it (PRTC_BUILD=plugin, `taro build --plugin weapp`: Taro builds
 * <sourceRoot>/plugin into <outputRoot>/plugin and <sourceRoot> into <outputRoot>/miniprogram).
 */
function buildKind() {
  if (process.env.PRTC_BUILD === 'plugin') return 'plugin';
  return process.env.TARO_ENV === 'alipay' ? 'alipay' : 'weapp';
}

const OUTPUT = { weapp: 'dist/weapp', alipay: 'dist/alipay', plugin: 'dist/weapp-plugin' };

const COPY = {
  weapp: [{ from: 'miniprogram/theme.json', to: 'dist/weapp/theme.json' }],
  alipay: [],
  plugin: [
    { from: 'plugin/bridge.js', to: 'dist/weapp-plugin/miniprogram/bridge.js' },
    { from: 'plugin/project.config.json', to: 'dist/weapp-plugin/project.config.json' },
  ],
};

module.exports = function () {
  const s = buildSettings();
  const kind = buildKind();
  return {
    projectName: 'prtc-health-code',
    date: '2026-11-23',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: kind === 'plugin' ? 'plugin' : 'miniprogram',
    outputRoot: OUTPUT[kind],
    // Alipay is a platform plug-in (Taro 4 ships WeChat's in its CLI presets, the others as packages)
    plugins: process.env.TARO_ENV === 'alipay' ? ['@tarojs/plugin-platform-alipay'] : [],
    defineConstants: {
      PRTC_SERVER_URL: JSON.stringify(s.serverUrl),
      PRTC_PUBLIC_KEY: JSON.stringify(s.publicKey),
      PRTC_BACKEND: JSON.stringify(s.backend),
      PRTC_CLOUD_ENV: JSON.stringify(s.cloudEnv),
      PRTC_PLUGIN: JSON.stringify(kind === 'plugin'),
    },
    // theme.json: the window colours of the light and dark themes (app.config.ts `themeLocation`)
    copy: { patterns: COPY[kind], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      // shared/ lives outside sourceRoot, and @noble/*, fast-png and its iobuffer ship ES2022 (class fields): Taro's babel
      // compiles both to the level of babel.config.js's targets, so every shipped file parses as
      // ES2020 (BigInt literals stay: Ed25519 needs BigInt, hence iOS 14; tests/unit/build-level.test.ts)
      compile: {
        include: [
          path.resolve(__dirname, '..', 'shared'),
          // the plug-in's pages are the mini-program's device and ui, outside the plug-in build's sourceRoot
          ...(kind === 'plugin' ? [path.resolve(__dirname, '..', 'miniprogram')] : []),
          ...['@noble', 'fast-png', 'iobuffer', 'fflate'].map((p) => path.resolve(__dirname, '..', 'node_modules', p)),
        ],
      },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
};
