/**
 * §6 The signed configuration, version 2 (shared/risk/config-v2.ts, advice.ts): what it accepts and
 * refuses, the version-1 projection earlier releases read (checked against the text of §14's
 * vector), the ignore-unknown-sections rule, and the build's default advice in step with OpenCC.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { PrtcError } from '../../shared/errors';
import { DEFAULT_ADVICE } from '../../shared/risk/advice';
import { DEFAULT_RISK_CONFIG, parseRiskConfig } from '../../shared/risk/config';
import {
  adviceOf,
  configV1Json,
  configV2Json,
  DEFAULT_CONFIG_V2,
  parseAnyRiskConfig,
  parseRiskConfigV2,
  serialOf,
} from '../../shared/risk/config-v2';

/** The default configuration's text as docs/protocol.md §14 prints it (vector `config`). */
const V1_TEXT = /configJson = (\{.*\})/.exec(readFileSync(join(__dirname, '../../docs/protocol.md'), 'utf8'))![1];

const doc = () => JSON.parse(configV2Json(DEFAULT_CONFIG_V2)) as Record<string, unknown>;
const text = (o: unknown) => JSON.stringify(o);

function refused(json: string, field: string, opts?: { draft?: boolean }): void {
  let e: unknown = null;
  try {
    parseRiskConfigV2(json, opts);
  } catch (x) {
    e = x;
  }
  expect(e).toBeInstanceOf(PrtcError);
  expect({ code: (e as PrtcError).code, message: (e as PrtcError).message }).toEqual({
    code: expect.stringMatching(/^(invalid_config|unknown_field|invalid_type)$/),
    message: expect.stringContaining(field),
  });
}

test('the version-1 projection of the default is, byte for byte, the text §14 signs', () => {
  expect(configV1Json(DEFAULT_CONFIG_V2)).toBe(V1_TEXT);
  expect(parseRiskConfig(configV1Json(DEFAULT_CONFIG_V2))).toEqual(DEFAULT_RISK_CONFIG);
});

test('a version-2 document goes through its text unchanged: header, risk fields, advice', () => {
  const json = configV2Json(DEFAULT_CONFIG_V2);
  expect(json.startsWith('{"version":2,"serial":1,"issuedAt":1767225600,"nearBelow":55,')).toBe(true);
  expect(parseRiskConfigV2(json)).toEqual(DEFAULT_CONFIG_V2);
  expect(configV2Json(parseRiskConfigV2(json))).toBe(json);
});

test('unknown top-level sections are ignored (kept aside, served again), so a later release can add one', () => {
  const o = { ...doc(), laterSection: [{ code: '110000' }], venueTypes: { bar: 2 } };
  const c = parseRiskConfigV2(text(o));
  expect(c.other).toEqual({ laterSection: [{ code: '110000' }], venueTypes: { bar: 2 } });
  expect(c.advice).toEqual(DEFAULT_ADVICE);
  expect(JSON.parse(configV2Json(c))).toEqual(o);
  // version 1 stays strict, as phones of the previous release parse it
  expect(() => parseRiskConfig(text({ ...JSON.parse(V1_TEXT), regions: [] }))).toThrow(/unknown field "config.regions"/);
});

test('the regions section (§15) is a known section: checked, kept, served again in its place after the advice', () => {
  const regions = [
    { code: 110000, zh: '北京市' },
    { code: 310000, zh: '上海市', en: 'Shanghai' },
  ];
  const o = { ...doc(), regions };
  const c = parseRiskConfigV2(text(o));
  expect(c.regions).toEqual(regions);
  expect(c.other).toBeUndefined();
  expect(Object.keys(JSON.parse(configV2Json(c))).slice(-2)).toEqual(['advice', 'regions']);
  refused(text({ ...o, regions: [{ code: '110000', zh: '北京市' }] }), 'config.regions[0].code');
  refused(text({ ...o, regions: [...regions].reverse() }), 'config.regions[1].code'); // ascending only
});

test('known fields are checked strictly, each refusal naming its field', () => {
  const o = doc();
  refused(text({ ...o, serial: 0 }), 'config.serial');
  refused(text({ ...o, serial: 1.5 }), 'config.serial');
  refused(text({ ...o, issuedAt: -1 }), 'config.issuedAt');
  refused(text({ ...o, version: 3 }), 'config.version');
  refused(text({ ...o, exposureDays: 15 }), 'config.exposureDays');
  refused(text({ ...o, weights: { near: 1, medium: 0.5, far: 0, very: 1 } }), 'config.weights.very');
  const advice = o.advice as Record<string, Record<string, Record<string, unknown>>>;
  const withEntry = (level: string, lang: string, entry: unknown) =>
    text({ ...o, advice: { ...advice, [level]: { ...advice[level], [lang]: entry } } });
  refused(withEntry('red', 'en', { now: '' }), 'config.advice.red.en.now');
  refused(withEntry('red', 'en', { now: '   ' }), 'config.advice.red.en.now');
  refused(withEntry('red', 'en', { now: 'x'.repeat(401) }), 'config.advice.red.en.now');
  refused(withEntry('yellow', 'zh_HK', { now: 'ok', hotline: 'call us' }), 'config.advice.yellow.zh_HK.hotline');
  refused(withEntry('yellow', 'zh_TW', { now: 'ok', link: 'http://health.example' }), 'config.advice.yellow.zh_TW.link');
  refused(withEntry('yellow', 'zh_TW', { now: 'ok', link: 'javascript:alert(1)' }), 'config.advice.yellow.zh_TW.link');
  refused(withEntry('yellow', 'zh_TW', { now: 'ok', link: 'https://a.example/"><script>' }), 'config.advice.yellow.zh_TW.link');
  refused(withEntry('green', 'zh_CN', { now: 'ok', sms: '1' }), 'config.advice.green.zh_CN.sms');
  refused(withEntry('green', 'zh_CN', { now: 'a\u0007b' }), 'config.advice.green.zh_CN.now');
  refused(text({ ...o, advice: { ...advice, green: { en: advice.green.en } } }), 'config.advice.green.zh_CN');
  refused(text({ ...o, advice: { yellow: advice.yellow, red: advice.red } }), 'config.advice.green');
  refused(text({ ...o, advice: { ...advice, purple: advice.red } }), 'config.advice.purple');
  refused(text({ ...o, advice: undefined }), 'config.advice');
  refused('{"version":2', 'not JSON');
});

test('within advice, a language this release does not speak is ignored; text is trimmed; hotline and link are optional', () => {
  const o = doc();
  const advice = o.advice as Record<string, Record<string, unknown>>;
  const red = {
    ...advice.red,
    ja: { now: '自宅にいてください' },
    en: { now: '  Stay home.  ', hotline: '+86 (10) 12320', link: 'https://health.example/red?x=1#a' },
  };
  const c = parseRiskConfigV2(text({ ...o, advice: { ...advice, red } }));
  expect(c.advice.red.en).toEqual({ now: 'Stay home.', hotline: '+86 (10) 12320', link: 'https://health.example/red?x=1#a' });
  expect(Object.keys(c.advice.red)).toEqual(['zh_CN', 'zh_TW', 'zh_HK', 'en']);
  // an empty optional field is as if it were absent
  const blank = { ...advice.red, en: { now: 'Stay home.', hotline: '', link: ' ' } };
  expect(parseRiskConfigV2(text({ ...o, advice: { ...advice, red: blank } })).advice.red.en).toEqual({ now: 'Stay home.' });
});

test('a draft (what an operator writes) may leave serial and issuedAt out; a served document may not', () => {
  const o = doc();
  delete o.serial;
  delete o.issuedAt;
  expect(parseRiskConfigV2(text(o), { draft: true })).toMatchObject({ serial: 0, issuedAt: 0 });
  refused(text(o), 'config.serial');
});

test('either version, as a phone holds it: version 1 counts as serial 0 and brings the build’s advice', () => {
  const v1 = parseAnyRiskConfig(V1_TEXT);
  expect(serialOf(v1)).toBe(0);
  expect(adviceOf(v1)).toBe(DEFAULT_ADVICE);
  const v2 = parseAnyRiskConfig(configV2Json({ ...DEFAULT_CONFIG_V2, serial: 7 }));
  expect(serialOf(v2)).toBe(7);
});

test('the build’s Traditional Chinese advice is OpenCC’s conversion of its Simplified (Taiwan and Hong Kong)', () => {
  const tw = OpenCC.Converter({ from: 'cn', to: 'twp' });
  const hk = OpenCC.Converter({ from: 'cn', to: 'hk' });
  for (const level of ['green', 'yellow', 'red'] as const) {
    expect(DEFAULT_ADVICE[level].zh_TW.now).toBe(tw(DEFAULT_ADVICE[level].zh_CN.now));
    expect(DEFAULT_ADVICE[level].zh_HK.now).toBe(hk(DEFAULT_ADVICE[level].zh_CN.now));
  }
});
