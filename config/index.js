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
  if (process.env.TARO_ENV === 'h5') return 'h5';
  return process.env.TARO_ENV === 'alipay' ? 'alipay' : 'weapp';
}

const OUTPUT = { weapp: 'dist/weapp', alipay: 'dist/alipay', plugin: 'dist/weapp-plugin', h5: 'dist/h5' };

/** Platform plug-ins (Taro 4 ships WeChat's in its CLI presets, the others as packages). */
const PLUGINS = { weapp: [], plugin: [], alipay: ['@tarojs/plugin-platform-alipay'], h5: ['@tarojs/plugin-platform-h5'] };

const COPY = {
  weapp: [{ from: 'miniprogram/theme.json', to: 'dist/weapp/theme.json' }],
  alipay: [],
  h5: [{ from: 'miniprogram/h5-renderer.js', to: 'dist/h5/h5-renderer.js' }],
  plugin: [
    { from: 'plugin/bridge.js', to: 'dist/weapp-plugin/miniprogram/bridge.js' },
    { from: 'plugin/project.config.json', to: 'dist/weapp-plugin/project.config.json' },
  ],
};

/** Sources outside sourceRoot, and ES2022 packages, that Taro's babel compiles down (see `mini.compile`). */
const COMPILE_INCLUDE = (kind) => [
  path.resolve(__dirname, '..', 'shared'),
  // the plug-in's pages are the mini-program's device and ui, outside the plug-in build's sourceRoot
  ...(kind === 'plugin' ? [path.resolve(__dirname, '..', 'miniprogram')] : []),
  ...['@noble', 'fast-png', 'iobuffer', 'fflate'].map((p) => path.resolve(__dirname, '..', 'node_modules', p)),
];

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
    plugins: PLUGINS[kind],
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
    // The browser build (`npm run build -- h5`, Taro's H5 platform): the same pages for the web, over
    // a `wx` the page's environment provides (host/index.h5.ts; the playground gives each phone one).
    h5: {
      // relative paths and a hash router: the build is served from any folder by any static server
      publicPath: './',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      // the same ES levels as the mini-program's own (see `mini.compile` below)
      compile: { include: COMPILE_INCLUDE('h5') },
      output: { filename: 'js/[name].js', chunkFilename: 'js/[name].js' },
      enableExtract: true,
      // a web app's size hints are about page loads over a network; this build is served from loopback
      webpackChain(chain) {
        chain.performance.hints(false);
      },
      miniCssExtractPluginOption: { filename: 'css/[name].css', chunkFilename: 'css/[name].css' },
      postcss: {
        // design px → vw, as WeChat's px → rpx scales with the screen's width; Taro's default (rem with
        // a script that sets <html>'s font size from the width) would tie every rem of app.css — text
        // sizes meant to follow the user's font setting (page-meta root-font-size 'system') — to the
        // width. With vw, 1rem stays the browser's own font size: the web's "system" setting.
        pxtransform: { enable: true, config: { targetUnit: 'vw' } },
        cssModules: { enable: false },
        // app.css's `page` (WeChat's page root) is Taro's H5 page element (see the plug-in)
        [path.resolve(__dirname, '..', 'tools/build/postcss-h5-page.js')]: { enable: true, config: {} },
      },
    },
    mini: {
      // shared/ lives outside sourceRoot, and @noble/*, fast-png and its iobuffer ship ES2022 (class fields): Taro's babel
      // compiles both to the level of babel.config.js's targets, so every shipped file parses as
      // ES2020 (BigInt literals stay: Ed25519 needs BigInt, hence iOS 14; tests/unit/build-level.test.ts)
      compile: { include: COMPILE_INCLUDE(kind) },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
};
