/**
 * `npm run build:alipay` makes what Alipay's developer tools open (小程序框架 / 目录结构): app.js,
 * app.json and app.acss at the top, each page as index.axml + index.js + index.json, templates in
 * AXML (no WXML/WXSS), and mini.project.json (the project file, from project.alipay.json) with the
 * component2 compile option Taro's Alipay runtime needs. The bundle carries the Alipay host, not the
 * WeChat one. `npm test` builds it before jest.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const OUT = resolve(__dirname, '..', '..', 'dist', 'alipay');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

describe('the Alipay build (dist/alipay)', () => {
  beforeAll(() => {
    if (!existsSync(join(OUT, 'app.json'))) throw new Error('dist/alipay is missing: run `npm run build:alipay` first');
  });

  test('app.js, app.json, app.acss; every page of the app as AXML + JS + JSON; no WeChat template files', () => {
    for (const f of ['app.js', 'app.json', 'app.acss', 'mini.project.json']) expect(existsSync(join(OUT, f))).toBe(true);
    const app = JSON.parse(readFileSync(join(OUT, 'app.json'), 'utf8')) as { pages: string[]; window: Record<string, unknown> };
    const source = readFileSync(resolve(__dirname, '..', '..', 'miniprogram', 'app.config.ts'), 'utf8');
    const declared = [...source.matchAll(/'(pages\/[a-z-]+\/index)'/g)].map((m) => m[1]);
    expect(app.pages).toEqual(declared);
    for (const p of app.pages) for (const ext of ['axml', 'js', 'json']) expect(existsSync(join(OUT, `${p}.${ext}`))).toBe(true);
    // Alipay's window names (defaultTitle, titleBarColor), not WeChat's theme variables
    expect(app.window).toMatchObject({ defaultTitle: '健康码' });
    expect(JSON.stringify(app)).not.toMatch(/@navBgColor|themeLocation|requiredPrivateInfos/);
    expect(files(OUT).filter((f) => /\.(wxml|wxss|wxs)$/.test(f))).toEqual([]);
  });

  test('mini.project.json turns on component2', () => {
    const project = JSON.parse(readFileSync(join(OUT, 'mini.project.json'), 'utf8')) as { compileOptions?: { component2?: boolean } };
    expect(project.compileOptions?.component2).toBe(true);
  });

  test('the bundle holds the Alipay host (my.*) and none of the WeChat host', () => {
    const js = files(OUT)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(js).toContain('Alipay has no BLE peripheral API');
    expect(js).not.toContain('createBLEPeripheralServer');
    expect(js).not.toContain('onNeedPrivacyAuthorization');
  });
});
