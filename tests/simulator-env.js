// jsdom for the weapp pages, plus the Node globals the same process needs for the loopback server
// and the HTTP client of the test's other phones (jsdom's window has none of them). They are
// Node's own objects, so `instanceof` checks inside Koa see one consistent class.
const { TestEnvironment } = require('jest-environment-jsdom');
const { TextEncoder, TextDecoder } = require('node:util');

const FROM_NODE = [
  'fetch',
  'Response',
  'Request',
  'Headers',
  'Blob',
  'FormData',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'setImmediate',
  'clearImmediate',
  'structuredClone',
];

class SimulatorEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of FROM_NODE) if (this.global[name] === undefined) this.global[name] = globalThis[name];
    this.global.TextEncoder ??= TextEncoder;
    this.global.TextDecoder ??= TextDecoder;
  }
}

module.exports = SimulatorEnvironment;
