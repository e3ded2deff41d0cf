// jsdom lacks TextEncoder/TextDecoder; the test process itself (server, helpers) needs Node's.
// The weapp build brings its own polyfill (miniprogram/polyfills.ts) for hosts without them.
const { TextEncoder, TextDecoder } = require('node:util');
if (typeof globalThis.TextEncoder === 'undefined') globalThis.TextEncoder = TextEncoder;
if (typeof globalThis.TextDecoder === 'undefined') globalThis.TextDecoder = TextDecoder;
