/**
 * The rpi engines against independent expectations: FIPS-197's AES-128 example (appendix C.1), the
 * GAEN v1.2 published vectors, and Node's crypto (OpenSSL) on random keys and ENIN lists. The
 * WebAssembly engines are the modules the build ships (dist/weapp/wasm/rpi-simd.wasm, bitsliced
 * SIMD, and dist/weapp/wasm/rpi.wasm, scalar, made by `npm run build:weapp` from wasm/); the
 * JavaScript engine is shared/protocol's core.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsEngine, labelWords, wasmEngine, type RpiEngine, type RpiWasmExports } from '../../miniprogram/matching/engines';
import { fromHex, toHex } from '../../shared/protocol/codec';
import { dayKeys, paddedData, PROFILES } from '../../shared/protocol/crypto';
import { WORKER_SCRIPT } from '../../miniprogram/matching/messages';
import { nodeWorker } from '../../testkit/node-worker';

const MODULES = { simd: 'rpi-simd.wasm', wasm: 'rpi.wasm' } as const;
type ModuleName = keyof typeof MODULES;
const modules = {} as Record<ModuleName, RpiWasmExports>;
const engines: Record<string, () => RpiEngine> = { js: jsEngine };

beforeAll(async () => {
  for (const name of Object.keys(MODULES) as ModuleName[]) {
    const file = join(__dirname, '../../dist/weapp/wasm', MODULES[name]);
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:weapp\` first`);
    modules[name] = (await WebAssembly.instantiate(readFileSync(file), {})).instance.exports as unknown as RpiWasmExports;
    engines[name] = () => wasmEngine(modules[name], name);
  }
});

const le = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/** The wasm module at its lowest level: any three constant words, then the fourth per block. */
function wasmBlocks(x: RpiWasmExports, key: Uint8Array, first3: Uint8Array, lastWords: number[]): Uint8Array {
  x.init();
  expect(x.reserve(1, lastWords.length)).toBeTruthy();
  new Uint8Array(x.memory.buffer, x.keysPtr(), 16).set(key);
  new Uint32Array(x.memory.buffer, x.eninsPtr(), lastWords.length).set(lastWords);
  x.derive(1, lastWords.length, le(first3, 0), le(first3, 4), le(first3, 8));
  return new Uint8Array(x.memory.buffer, x.outPtr(), 16 * lastWords.length).slice();
}

describe.each(Object.keys(MODULES) as ModuleName[])('the %s module', (name) => {
  test('FIPS-197 appendix C.1: AES-128 of 00112233…ff under 000102…0f is 69c4e0d8…c55a', () => {
    const pt = fromHex('00112233445566778899aabbccddeeff');
    const out = wasmBlocks(modules[name], fromHex('000102030405060708090a0b0c0d0e0f'), pt, [le(pt, 12)]);
    expect(toHex(out)).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
  });

  test('GAEN v1.2 published vectors: the 144 rpis of the test key (label EN-RPI, RPIK from HKDF)', () => {
    const lines = readFileSync(join(__dirname, '../fixtures/gaen-vectors.txt'), 'utf8').split('\n');
    const header: Record<string, string> = {};
    const rpis: string[] = [];
    for (const line of lines) {
      if (!line || line.startsWith('#')) continue;
      const [a, b] = line.split(' ');
      if (/^[0-9a-f]{32}$/.test(a)) rpis.push(a);
      else header[a] = b;
    }
    const start = Number(header.enin);
    const rpik = dayKeys(PROFILES.gaen, fromHex(header.tek)).rpik;
    const out = wasmBlocks(
      modules[name],
      rpik,
      paddedData(PROFILES.gaen, 0),
      Array.from({ length: 144 }, (_, k) => start + k),
    );
    expect(rpis).toHaveLength(144);
    for (let k = 0; k < 144; k++) expect(toHex(out.subarray(16 * k, 16 * k + 16))).toBe(rpis[k]);
  });
});

/** Node's crypto: AES-128-ECB of the prtc padded blocks (§2), the expected rpis. */
function nodeRpis(rpiks: Uint8Array, n: number, enins: Uint32Array): Uint8Array {
  const blocks = Buffer.alloc(16 * enins.length);
  for (let e = 0; e < enins.length; e++) {
    Buffer.from(paddedData(PROFILES.prtc, enins[e])).copy(blocks, 16 * e);
  }
  const out = new Uint8Array(16 * n * enins.length);
  for (let q = 0; q < n; q++) {
    const c = createCipheriv('aes-128-ecb', rpiks.subarray(16 * q, 16 * q + 16), null);
    c.setAutoPadding(false);
    out.set(c.update(blocks), 16 * q * enins.length);
  }
  return out;
}

describe.each(['js', 'wasm', 'simd'])('the %s engine', (name) => {
  test('equals Node’s AES-NI on random keys and ENIN lists (gaps, a 256-ENIN boundary, repeats across calls)', () => {
    const engine = engines[name]();
    for (const [n, count, base] of [
      [1, 1, 2955456],
      [7, 144, 2955456],
      [300, 60, 2955650], // crosses 2955712 = 256·11545: the shared rounds 1–2 are made again
      [50, 114, 1],
      [9, 8, 2955456], // exactly one group of eight blocks (SIMD), and one more with a single block
      [9, 9, 2955456],
    ]) {
      const rpiks = new Uint8Array(randomBytes(16 * n));
      // `count` distinct ENINs among the 400 from `base`: a random choice, kept in order
      const picks = new Set<number>();
      while (picks.size < count) picks.add(base + (randomBytes(2).readUInt16LE(0) % 400));
      const enins = Uint32Array.from([...picks].sort((a, b) => a - b));
      expect(toHex(engine.derive(rpiks, n, enins))).toBe(toHex(nodeRpis(rpiks, n, enins)));
    }
  });

  test('the label words are the prtc padded block’s first twelve bytes', () => {
    const b = paddedData(PROFILES.prtc, 0);
    expect(labelWords()).toEqual([le(b, 0), le(b, 4), le(b, 8)]);
    expect(Buffer.from(b.subarray(0, 8)).toString()).toBe('PrTC-RPI');
  });
});

test.each(Object.keys(MODULES) as ModuleName[])(
  'the %s engine’s filtered derivation returns exactly the rpis whose first word passes the filter, with their key and ENIN',
  (name) => {
    const engine = engines[name]();
    const n = 200;
    const enins = Uint32Array.from({ length: 90 }, (_, k) => 2955456 + 3 * k);
    const rpiks = new Uint8Array(randomBytes(16 * n));
    const filter = new Int32Array(1 << 15);
    const fill = randomBytes(filter.length * 4);
    for (let k = 0; k < filter.length; k++) filter[k] = fill.readInt32LE(4 * k) & fill.readInt32LE((4 * k + 8) % fill.length) & 0x11111111;
    engine.useFilter!(filter);
    const { count, records } = engine.candidates!(rpiks, n, enins);
    const got = new Set<string>();
    for (let c = 0; c < count; c++) {
      const r = records.subarray(24 * c, 24 * c + 24);
      got.add(`${le(r, 0)}:${le(r, 4)}:${toHex(r.subarray(8))}`);
    }
    const all = nodeRpis(rpiks, n, enins);
    const want = new Set<string>();
    for (let q = 0; q < n; q++)
      for (let e = 0; e < enins.length; e++) {
        const rpi = all.subarray(16 * (q * enins.length + e), 16 * (q * enins.length + e) + 16);
        const bit = le(rpi, 0) & 0xfffff;
        if ((filter[bit >>> 5] >>> (bit & 31)) & 1) want.add(`${q}:${e}:${toHex(rpi)}`);
      }
    expect(want.size).toBeGreaterThan(50); // the filter lets a few in …
    expect(want.size).toBeLessThan((n * enins.length) / 4); // … and keeps most out
    expect(got).toEqual(want);
  },
);

describe('the built worker picks the engine its WeChat can run, and says which', () => {
  const threads: { terminate(): void }[] = [];
  afterAll(() => threads.splice(0).forEach((t) => t.terminate()));
  // WeChat 8.0.25+ (SIMD), a WeChat whose WebAssembly has no SIMD (it does not compile a module with
  // v128), and a base library before 2.15 (no WXWebAssembly in workers)
  test.each([
    [{ wasm: true, simd: true }, 'simd'],
    [{ wasm: true, simd: false }, 'wasm'],
    [{ wasm: false, simd: false }, 'js'],
  ])('%o → %s', async (offers, engine) => {
    const t = nodeWorker({ root: join(__dirname, '../../dist/weapp'), ...offers })(WORKER_SCRIPT);
    threads.push(t);
    const answer = new Promise<unknown>((resolve) => t.onMessage(resolve));
    t.postMessage({ id: 1, op: 'begin', days: [] });
    expect(await answer).toEqual({ id: 1, ok: true, engine });
  });
});
