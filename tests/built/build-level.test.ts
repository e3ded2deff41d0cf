/**
 * Every JavaScript file the build ships parses at the language level the oldest supported phone
 * runs (README, "Which phones"): ES2020 — iOS 14's JavaScriptCore, the first with BigInt (Ed25519
 * needs it). Parsed with acorn at ecmaVersion 2020, which refuses what came later (class fields,
 * private methods, static blocks, `??=`). The app's settings for WeChat DevTools say the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'acorn';

const WEAPP = join(__dirname, '../../dist/weapp');
const walk = (d: string): string[] =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));

test('every shipped .js file parses as ES2020', () => {
  const files = walk(WEAPP).filter((f) => f.endsWith('.js'));
  expect(files.length).toBeGreaterThan(8);
  const failures: string[] = [];
  for (const f of files) {
    try {
      parse(readFileSync(f, 'utf8'), { ecmaVersion: 2020, sourceType: 'script' });
    } catch (e) {
      failures.push(`${f.slice(WEAPP.length + 1)}: ${(e as Error).message}`);
    }
  }
  expect(failures).toEqual([]);
});

test('the level check has teeth: ES2022 syntax is refused at 2020', () => {
  expect(() => parse('class A { x = 1 }', { ecmaVersion: 2020 })).toThrow();
  expect(() => parse('a ??= 1', { ecmaVersion: 2020 })).toThrow();
  expect(() => parse('const b = 1n ** 2n; a?.b ?? c', { ecmaVersion: 2020 })).not.toThrow();
});

test('project.config.json states the minimum base library and the WeChat settings the build assumes', () => {
  const cfg = JSON.parse(readFileSync(join(__dirname, '../../project.config.json'), 'utf8'));
  expect(cfg.libVersion).toBe('2.32.3');
  expect(cfg.setting.es6).toBe(false); // the build is already at ES2020: DevTools must not re-transpile it
});
