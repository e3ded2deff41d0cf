/**
 * The signed configuration (§6) on the server, over real HTTP, SQLite and MariaDB: version 1 for
 * phones of earlier releases (byte for byte §14's text before any publication), version 2 at
 * `?v=2`; publications from the admin CLI (a bad file refused, nothing published; exit codes) and
 * from the portal's advice form (admins of the operator's realm only, a preview in four languages,
 * Traditional Chinese converted with OpenCC where left empty, CSRF, every publication audited);
 * every instance on the database serves the newest; serials never repeat, even published at once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64url } from '../../shared/protocol/codec';
import { configMessage, verify } from '../../shared/protocol/signing';
import { DEFAULT_ADVICE } from '../../shared/risk/advice';
import { parseRiskConfig } from '../../shared/risk/config';
import { BUILD_REGIONS } from '../../shared/regions';
import { DEFAULT_CONFIG_V2, parseRiskConfigV2, type RiskConfigV2 } from '../../shared/risk/config-v2';
import { startServer } from '../../server/runtime';
import { DB_KINDS } from '../helpers/db';
import { isLoginPage, PortalClient, textOf } from '../helpers/portal-client';
import { admin } from '../helpers/server-process';
import { call, startTestServer, type TestServer } from '../helpers/server';

const PASSWORD = 'Vermilion-otter-58-quietly';
const V1_TEXT = /configJson = (\{.*\})/.exec(readFileSync(join(__dirname, '../../docs/protocol.md'), 'utf8'))![1];

/** The text of a preview card (a <div> with paragraphs inside), tags stripped. */
const card = (html: string, id: string) =>
  (new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</div>`).exec(html)?.[1] ?? '').replace(/<[^>]+>/g, ' ');

/** The signed configuration a phone downloads, its signature checked with the server's public key. */
async function served(s: TestServer, v: 1 | 2): Promise<string> {
  const pk = fromBase64url((await call(s.url, 'GET', '/v1/public-key')).body.key, 32);
  const r = await call(s.url, 'GET', v === 2 ? '/v1/config?v=2' : '/v1/config');
  expect(r.status).toBe(200);
  expect(verify(fromBase64url(r.body.signature, 64), configMessage(r.body.configJson), pk)).toBe(true);
  return r.body.configJson as string;
}

describe.each(DB_KINDS)('the signed configuration on %s', (kind) => {
  let s: TestServer;
  afterEach(async () => {
    await s?.stop();
  });

  async function person(realm: string, username: string, role: 'admin' | 'issuer' = 'admin') {
    const { token } = await s.services.portal.createUser(realm, username, role);
    const c = new PortalClient(s.url);
    expect((await c.setPassword(`${s.url}/portal/setup/${token}`, PASSWORD)).status).toBe(200);
    expect(isLoginPage((await c.login(username, PASSWORD)).html)).toBe(false);
    return c;
  }

  test('before any publication: version 1 is §14’s text, version 2 the build’s default (serial 1); bad queries refused', async () => {
    s = await startTestServer(kind);
    expect(await served(s, 1)).toBe(V1_TEXT);
    // the build's default, with the regions this server publishes by (§15)
    expect(parseRiskConfigV2(await served(s, 2))).toEqual({ ...DEFAULT_CONFIG_V2, regions: BUILD_REGIONS });
    expect((await call(s.url, 'GET', '/v1/config?v=3')).body.error.code).toBe('invalid_query');
    expect((await call(s.url, 'GET', '/v1/config?version=2')).status).toBe(400);
  });

  test('the portal: only admins of the operator’s realm see the advice form; preview in four languages; publish reaches /v1/config', async () => {
    s = await startTestServer(kind);
    const clinic = await person('Clinic A', 'carol');
    const op = await person('Health Commission', 'olga');
    const opIssuer = await person('Health Commission', 'ivan', 'issuer');
    // no operator's realm yet: nobody may publish
    expect((await op.get('/portal/advice')).status).toBe(403);
    expect(await s.services.portal.setOperatorRealm('Health Commission')).toBe(true);
    expect((await clinic.get('/portal/advice')).status).toBe(403);
    expect((await clinic.get('/portal/')).html).not.toContain('/portal/advice');
    expect((await opIssuer.get('/portal/advice')).status).toBe(403);

    const form = await op.get('/portal/advice');
    expect(form.status).toBe(200);
    expect(form.html).toContain('href="/portal/advice"'); // in the navigation
    expect(textOf(form.html, 'serial')).toBe('1');
    expect(form.html).toContain(DEFAULT_ADVICE.yellow.zh_HK.now); // the advice in force, to edit
    expect(form.headers.get('content-security-policy')).toContain("script-src 'self'");

    const fields: Record<string, string> = {};
    for (const level of ['green', 'yellow', 'red'])
      for (const lang of ['zh_CN', 'zh_TW', 'zh_HK', 'en'])
        fields[`${level}.${lang}.now`] = DEFAULT_ADVICE[level as 'red'][lang as 'en'].now;
    Object.assign(fields, {
      'red.zh_CN.now': '请立即居家隔离，并拨打热线预约核酸检测。',
      'red.zh_TW.now': '',
      'red.zh_HK.now': '',
      'red.zh_CN.hotline': '12320',
      'red.en.now': 'Isolate at home now and call the hotline to book a test.',
      'red.en.hotline': '12320',
      'red.en.link': 'https://health.example/red',
    });

    // a bad link: the form again, saying which field, nothing published
    const bad = await op.post('/portal/advice/preview', { ...fields, 'red.en.link': 'http://health.example/red' });
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/role="alert">[^<]*(Red|红码) · English · (Link|链接)/);
    expect(JSON.parse(await served(s, 2)).serial).toBe(1);

    // the preview: what phones will show in each language; empty Traditional fields converted by OpenCC
    const preview = await op.post('/portal/advice/preview', fields);
    expect(preview.status).toBe(200);
    expect(card(preview.html, 'preview-red-en')).toContain('Isolate at home now');
    expect(card(preview.html, 'preview-red-zh_TW')).toContain('請立即居家隔離，並撥打熱線預約核酸檢測。');
    expect(card(preview.html, 'preview-red-zh_HK')).toContain('請立即居家隔離，並撥打熱線預約核酸檢測。');
    expect(preview.html).toMatch(/id="preview-red-zh_TW"[\s\S]*?class="converted"/);
    expect(card(preview.html, 'preview-red-zh_HK')).toContain('12320'); // the Simplified hotline, taken over
    expect(JSON.parse(await served(s, 2)).serial).toBe(1); // a preview publishes nothing

    // publishing needs the session's CSRF token
    const hidden = Object.fromEntries(
      [...preview.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]),
    );
    delete hidden.csrf;
    expect((await op.post('/portal/advice/publish', hidden, { csrf: 'forged' })).status).toBe(403);
    expect(JSON.parse(await served(s, 2)).serial).toBe(1);

    const published = await op.post('/portal/advice/publish', hidden);
    expect(published.status).toBe(200);
    expect(published.html).toMatch(/role="status">[^<]*(configuration 2|配置 2)/);
    const v2 = parseRiskConfigV2(await served(s, 2));
    expect(v2.serial).toBe(2);
    expect(v2.advice.red.en).toEqual({
      now: 'Isolate at home now and call the hotline to book a test.',
      hotline: '12320',
      link: 'https://health.example/red',
    });
    expect(v2.advice.red.zh_TW).toEqual({ now: '請立即居家隔離，並撥打熱線預約核酸檢測。', hotline: '12320' });
    expect(v2.advice.yellow).toEqual(DEFAULT_ADVICE.yellow);
    // phones of the previous release still get version 1, unchanged
    expect(await served(s, 1)).toBe(V1_TEXT);
    // audited in the operator's realm, with who did it
    const audit = await op.get('/portal/audit');
    expect(audit.html).toMatch(/<td>olga<\/td><td>advice_published<\/td><td>configuration 2<\/td>/);
    expect((await op.get('/portal/advice')).html).toMatch(/<tr><td>2<\/td><td><time[^>]*>[^<]*<\/time><\/td><td>olga<\/td><\/tr>/);
  });

  test('every instance on the database serves the newest publication; serials published at once never repeat', async () => {
    s = await startTestServer(kind);
    const other = await startServer(
      { port: 0, host: '127.0.0.1', dataDir: s.db.dataDir, databaseUrl: s.db.url, batchIntervalS: 0 },
      { clock: s.clock, log: () => undefined, env: {} },
    );
    try {
      const draft: RiskConfigV2 = { ...DEFAULT_CONFIG_V2, redWeightedMinutes: 20 };
      const serials = await Promise.all(Array.from({ length: 5 }, () => s.services.riskConfig.publish(draft, null)));
      expect(serials.map((x) => x.serial).sort()).toEqual([2, 3, 4, 5, 6]);
      await new Promise((r) => setTimeout(r, 1100)); // an instance reads the newest at most once a second
      const fromOther = (await call(other.url, 'GET', '/v1/config?v=2')).body.configJson;
      expect(parseRiskConfigV2(fromOther)).toMatchObject({ serial: 6, redWeightedMinutes: 20 });
      expect(parseRiskConfig((await call(other.url, 'GET', '/v1/config')).body.configJson).redWeightedMinutes).toBe(20);
    } finally {
      await other.close();
    }
  });

  test('admin risk-config: show, check and publish a file; a bad file is refused with its field (exit 2) and nothing published', async () => {
    s = await startTestServer(kind);
    await s.close(); // the CLI works on the database alone
    const env = { DATA_DIR: s.db.dataDir, DATABASE_URL: s.db.url };
    const shown = admin(env, 'risk-config', 'show', '--json');
    expect(shown.code).toBe(0);
    const doc = JSON.parse(shown.stdout);
    expect(doc.serial).toBe(1);
    const file = join(s.db.dataDir, 'config.json');
    doc.advice.yellow.en.hotline = 'call us';
    writeFileSync(file, JSON.stringify(doc));
    for (const cmd of ['check', 'publish']) {
      const r = admin(env, 'risk-config', cmd, file);
      expect({ cmd, code: r.code, stderr: r.stderr }).toEqual({
        cmd,
        code: 2,
        stderr: expect.stringContaining('config.advice.yellow.en.hotline must be a telephone number'),
      });
    }
    expect(JSON.parse(admin(env, 'risk-config', 'show', '--json').stdout).serial).toBe(1);
    expect(admin(env, 'risk-config', 'check', join(s.db.dataDir, 'none.json')).code).toBe(2);

    doc.advice.yellow.en.hotline = '12320';
    delete doc.serial; // set when published
    doc.laterSection = [{ code: '110000' }]; // a later release's section: kept and served as it is
    doc.regions = [{ code: 110000, zh: '北京市' }]; // §15: replaced by the server's own list when published
    writeFileSync(file, JSON.stringify(doc));
    expect(admin(env, 'risk-config', 'check', file)).toMatchObject({
      code: 0,
      stdout: 'ok (not checked by this server, served as they are: laterSection)\n',
    });
    expect(admin(env, 'operator-realm')).toMatchObject({ code: 1 });
    const pub = admin(env, 'risk-config', 'publish', file, '--json');
    expect(pub.code).toBe(0);
    expect(JSON.parse(pub.stdout)).toMatchObject({ serial: 2, audited: false, unknownSections: ['laterSection'] });
    const after = JSON.parse(admin(env, 'risk-config', 'show', '--json').stdout);
    expect(after).toMatchObject({ serial: 2, laterSection: [{ code: '110000' }] });
    expect(after.regions).toEqual(BUILD_REGIONS);
    expect(after.advice.yellow.en.hotline).toBe('12320');
  }, 60000);
});
