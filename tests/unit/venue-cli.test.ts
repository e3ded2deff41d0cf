/**
 * The venue and gate commands of the prtc tool, run as real processes. Posters are checked by
 * rasterising their QR path and reading it back with an independent QR decoder (jsQR).
 */
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import jsQR from 'jsqr';
import { posterFont } from '../../tools/poster';
import { runTool } from '../helpers/run-tool';

const HOST = { PRTC_VENUE_HOST: '' };
const prtc = (args: string[], input?: string) => runTool('tools/prtc.ts', args, { env: HOST, input });
const tmp = () => mkdtempSync(join(tmpdir(), 'prtc-venue-'));

/** Posters need a font with Chinese characters (.ci/run installs one); without it the poster tests say they skip. */
const withFont = (() => {
  try {
    posterFont();
    return test;
  } catch (e) {
    process.stderr.write(`venue-cli.test: poster tests SKIPPED — ${(e as Error).message}\n`);
    return test.skip;
  }
})();

/** Reads the QR code out of an SVG poster: its module path drawn at 4 px a module, decoded by jsQR. */
function readPosterQr(svg: string): string | null {
  const m =
    /<g transform="translate\([\d.]+ [\d.]+\) scale\([\d.]+\)"><rect width="(\d+)" height="\d+" fill="#fff"\/><path transform="translate\((\d+) \d+\)" d="([^"]*)"/.exec(
      svg,
    )!;
  const [size, quiet] = [Number(m[1]), Number(m[2])];
  const px = 4;
  const w = size * px;
  const rgba = new Uint8ClampedArray(w * w * 4).fill(255);
  for (const r of m[3].matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [c, row, run] = [Number(r[1]), Number(r[2]), Number(r[3])];
    for (let y = (row + quiet) * px; y < (row + quiet + 1) * px; y++) {
      for (let x = (c + quiet) * px; x < (c + quiet + run) * px; x++) rgba.fill(0, (y * w + x) * 4, (y * w + x) * 4 + 3);
    }
  }
  return jsQR(rgba, w, w)?.data ?? null;
}

describe('prtc venue-create / venue', () => {
  test('--region makes a version-2 code carrying the region (§15); a code not in the list is a usage error', () => {
    const r = prtc(['venue-create', '--desc', '茶馆', '--type', 'restaurant', '--region', '320500', '--host', 'qr.example.org']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const payload = Buffer.from(r.stdout.trim().split('#')[1], 'base64url');
    expect([payload[0], payload.readUInt32LE(29), payload.length]).toEqual([2, 320500, 34 + Buffer.byteLength('茶馆')]);
    expect(JSON.parse(prtc(['venue', r.stdout.trim(), '--json']).stdout).region).toBe(320500);
    const bad = prtc(['venue-create', '--desc', 'x', '--type', '1', '--region', '320000', '--host', 'qr.example.org']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--region 320000 is not a region/)]);
  });

  withFont('a poster of a code with a region names it, so the owner sees where it reports to before printing', () => {
    const dir = tmp();
    const p = prtc([
      'venue-create',
      '--desc',
      '茶馆',
      '--type',
      'restaurant',
      '--region',
      '320500',
      '--host',
      'qr.example.org',
      '--out',
      join(dir, 'p.svg'),
    ]);
    expect([p.code, p.stderr]).toEqual([0, '']);
    expect(readFileSync(join(dir, 'p.svg'), 'utf8')).toContain('所在地区：江苏省苏州市 · Region 320500');
  });

  test('a created venue decodes to its fields; its location id is SHA-256("PrTC-VENUE" || payload)', () => {
    const r = prtc(['venue-create', '--desc', 'Café Lumière', '--type', 'restaurant', '--minutes', '45', '--host', 'qr.example.org']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const link = r.stdout.trim();
    expect(link).toMatch(/^https:\/\/qr\.example\.org\/v#[A-Za-z0-9_-]+$/);
    const payload = Buffer.from(link.split('#')[1], 'base64url');
    expect(payload.length).toBe(30 + Buffer.byteLength('Café Lumière'));
    const d = prtc(['venue', link, '--json']);
    expect(d.code).toBe(0);
    const j = JSON.parse(d.stdout);
    const id = createHash('sha256')
      .update(Buffer.concat([Buffer.from('PrTC-VENUE'), payload]))
      .digest();
    expect(j).toMatchObject({
      format: 'prtc',
      locationId: id.toString('hex'),
      locationIdHash: createHash('sha256').update(id).digest('hex'),
      description: 'Café Lumière',
      venueType: 2,
      venueTypeName: 'restaurant',
      staff: false,
      event: false,
      defaultMinutes: 45,
      validFrom: null,
      validUntil: null,
    });
    // the same, read from stdin, with a scanner's trailing newline; and as text
    expect(JSON.parse(prtc(['venue', '-', '--json'], `${link}\n`).stdout).description).toBe('Café Lumière');
    expect(prtc(['venue', link]).stdout).toMatch(/^Café Lumière \(restaurant\)\n/);
    // every venue gets its own random seed
    const again = prtc(['venue-create', '--desc', 'Café Lumière', '--type', 'restaurant', '--minutes', '45', '--host', 'qr.example.org']);
    expect(again.stdout.trim()).not.toBe(link);
  });

  test('the host is required — or taken from PRTC_VENUE_HOST — never a placeholder', () => {
    const r = prtc(['venue-create', '--desc', 'x', '--type', '1']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/^prtc: give --host/)]);
    const env = runTool('tools/prtc.ts', ['venue-create', '--desc', 'x', '--type', '1'], { env: { PRTC_VENUE_HOST: 'codes.example.cn' } });
    expect(env.stdout).toMatch(/^https:\/\/codes\.example\.cn\/v#/);
  });

  test('staff and event codes', () => {
    const staff = JSON.parse(
      prtc(['venue-create', '--desc', 'Ward 3 staff', '--type', 'healthcare', '--staff', '--host', 'h.example', '--json']).stdout,
    );
    expect(staff).toMatchObject({ staff: true, defaultMinutes: 480 });
    const ev = prtc([
      'venue-create',
      '--desc',
      'Concert',
      '--type',
      'event',
      '--event',
      '--from',
      '2026-12-01T18:00Z',
      '--until',
      '2026-12-01T22:00Z',
      '--host',
      'h.example',
    ]);
    expect(JSON.parse(prtc(['venue', ev.stdout.trim(), '--json']).stdout)).toMatchObject({
      event: true,
      validFrom: '2026-12-01T18:00:00.000Z',
      validUntil: '2026-12-01T22:00:00.000Z',
    });
  });

  test("a Corona-Warn-App link decodes with CWA's location id", () => {
    const cwa = JSON.parse(readFileSync(join(__dirname, '../fixtures/cwa-vectors.json'), 'utf8')).payloads[0];
    const r = prtc(['venue', `https://e.coronawarn.app?v=1#${Buffer.from(cwa.payloadBase64, 'base64').toString('base64url')}`, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.format).toBe('cwa');
    expect(Buffer.from(j.locationId, 'hex').toString('base64')).toBe(cwa.locationIdBase64);
    expect(j.description).toBe('My Birthday Party');
    expect(j.address).toBe('at my place');
  });

  withFont(
    'the SVG poster holds a QR code of the link, the escaped name and the bilingual instruction; PNG and PDF are written too',
    () => {
      const dir = tmp();
      const r = prtc(['venue-create', '--desc', 'Rooms <A & B>', '--type', '4', '--host', 'h.example', '--out', join(dir, 'poster.svg')]);
      expect(r.code).toBe(0);
      const svg = readFileSync(join(dir, 'poster.svg'), 'utf8');
      expect(readPosterQr(svg)).toBe(r.stdout.trim());
      expect(svg).toContain('Rooms &#60;A &#38; B&#62;');
      expect(svg).toContain('请用微信扫一扫，登记到访');
      for (const ext of ['png', 'pdf']) {
        const f = join(dir, `poster.${ext}`);
        expect(
          prtc(['venue-create', '--desc', '街角咖啡馆', '--type', 'restaurant', '--host', 'h.example', '--out', f, '--paper', 'A5']).code,
        ).toBe(0);
        const head = readFileSync(f).subarray(0, 4).toString('latin1');
        expect(head).toBe(ext === 'png' ? '\x89PNG' : '%PDF');
      }
    },
  );

  const ROOMS = 'desc,type,staff,minutes\n"Room 1.01, east wing",school,,50\n教室 1.02,school,否,\nStaff room,workplace,yes,\n';

  withFont.each([
    ['UTF-8', Buffer.from(ROOMS, 'utf8')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ROOMS, 'utf8')])],
    ['GBK (Excel on Chinese Windows)', iconv.encode(ROOMS, 'gbk')],
  ])('CSV in %s: one poster per row and an index with every field', (_enc, bytes) => {
    const dir = tmp();
    const csv = join(dir, 'rooms.csv');
    writeFileSync(csv, bytes);
    const outDir = join(dir, 'posters');
    const r = prtc(['venue-create', '--csv', csv, '--out-dir', outDir, '--host', 'h.example']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual(['0001-Room-1-01-east-wing.svg', '0002-教室-1-02.svg', '0003-Staff-room.svg', 'index.csv']);
    const index = readFileSync(join(outDir, 'index.csv'), 'utf8').trim().split('\n');
    expect(index[0]).toBe('file,link,desc,type,staff,minutes,from,until');
    expect(index).toHaveLength(4);
    expect(index[1]).toMatch(/^0001-Room-1-01-east-wing\.svg,https:\/\/h\.example\/v#[\w-]+,"Room 1\.01, east wing",school,no,50,,$/);
    expect(index[2]).toMatch(/,教室 1\.02,school,no,60,,$/); // the Chinese name intact, whatever the file's encoding
    const [file, link] = index[1].split(',');
    expect(readPosterQr(readFileSync(join(outDir, file), 'utf8'))).toBe(link);
    expect(JSON.parse(prtc(['venue', index[3].split(',')[1], '--json']).stdout)).toMatchObject({ staff: true, defaultMinutes: 480 });
  });

  test.each([
    ['a bad type', 'desc,type\nRoom 1,school\nRoom 2,spaceship\n', /^prtc: line 3: --type must be/],
    ['staff that is not yes or no', 'desc,type,staff\nRoom 1,school,maybe\n', /^prtc: line 2: staff must be yes or no, not "maybe"/],
    ['an unknown column', 'desc,type,colour\nRoom 1,school,red\n', /unknown CSV column "colour"/],
    ['no header', 'Room 1,school\n', /needs a header row/],
    ['a 101-byte name', `desc,type\n${'馆'.repeat(34)},school\n`, /^prtc: line 2: the description is 102 bytes/],
  ])('CSV with %s: the line named, nothing written', (_what, text, msg) => {
    const dir = tmp();
    writeFileSync(join(dir, 'rooms.csv'), text);
    const r = prtc(['venue-create', '--csv', join(dir, 'rooms.csv'), '--out-dir', join(dir, 'posters'), '--host', 'h.example']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(['rooms.csv']); // no folder, no temporary folder left
  });

  test('a GBK file read as UTF-8 is refused, not turned into mojibake; a 10 MB file fails fast at the row cap', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'gbk.csv'), iconv.encode(ROOMS, 'gbk'));
    const r = prtc([
      'venue-create',
      '--csv',
      join(dir, 'gbk.csv'),
      '--encoding',
      'utf8',
      '--out-dir',
      join(dir, 'a'),
      '--host',
      'h.example',
    ]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/not valid UTF-8 .*--encoding gb18030/)]);
    let big = 'desc,type\n';
    while (big.length < 10 * 1024 * 1024) big += 'A room of a long building with a long description,shop\n';
    writeFileSync(join(dir, 'big.csv'), big + 'bad,spaceship\n');
    const started = Date.now();
    const b = prtc(['venue-create', '--csv', join(dir, 'big.csv'), '--out-dir', join(dir, 'b'), '--host', 'h.example']);
    expect([b.code, b.stderr]).toEqual([2, expect.stringMatching(/more than 5000 rows/)]);
    expect(Date.now() - started).toBeLessThan(20000); // the cap stops it long before the end (a bound, not a benchmark)
    expect(readdirSync(dir).sort()).toEqual(['big.csv', 'gbk.csv']);
  });

  test('an out-dir that cannot be written says why; an existing non-empty one is refused', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'rooms.csv'), ROOMS);
    writeFileSync(join(dir, 'afile'), 'x');
    const r = prtc(['venue-create', '--csv', join(dir, 'rooms.csv'), '--out-dir', join(dir, 'afile', 'posters'), '--host', 'h.example']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/cannot write to .*afile\/posters: a file is in the way/)]);
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const e = prtc(['venue-create', '--csv', join(dir, 'rooms.csv'), '--out-dir', full, '--host', 'h.example']);
    expect([e.code, e.stderr]).toEqual([2, expect.stringMatching(/exists and is not empty/)]);
    expect(readFileSync(join(full, 'keep.txt'), 'utf8')).toBe('mine');
  });

  test.each([
    [['venue-create', '--type', '1', '--host', 'h.example'], /missing --desc/],
    [['venue-create', '--desc', 'x'.repeat(101), '--type', '1', '--host', 'h.example'], /at most 100/],
    [['venue-create', '--desc', 'x', '--type', '99', '--host', 'h.example'], /--type must be/],
    [
      [
        'venue-create',
        '--desc',
        'x',
        '--type',
        '1',
        '--event',
        '--from',
        'tomorrow',
        '--until',
        '2026-12-01T22:00Z',
        '--host',
        'h.example',
      ],
      /not an ISO/,
    ],
    [
      [
        'venue-create',
        '--desc',
        'x',
        '--type',
        '1',
        '--event',
        '--from',
        '2026-12-01T22:00Z',
        '--until',
        '2026-12-01T18:00Z',
        '--host',
        'h.example',
      ],
      /must end after/,
    ],
    [['venue-create', '--desc', 'x', '--type', '1', '--host', 'h.example', '--out', 'poster.gif'], /\.svg, \.png or \.pdf/],
    [['venue-create', '--desc', 'x', '--type', '1', '--bogus'], /unknown option '--bogus'/],
    [['venue', 'https://example.com/'], /not a venue code/],
    [['venue', 'https://prtc.example.org/v#AQ'], /damaged/],
    [['venue'], /missing required argument 'link'/],
    [['gate', 'PRTC-HC1:AQ'], /required option '--public-key/],
    [['gate', 'PRTC-HC1:AQ', '--public-key', 'abc'], /public-key/],
  ])('%j → one line on stderr, exit 2', (args, msg) => {
    const r = prtc(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(msg as RegExp);
    expect(r.stderr).toMatch(/^prtc: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('prtc gate', () => {
  test('verifies a genuine code and explains a stale one, as the gate page does', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64url');
    const now = 1795000000;
    const hash = Buffer.alloc(32, 3);
    const msg = Buffer.concat([Buffer.from('PrTC-HEAD'), Buffer.alloc(4), hash, Buffer.alloc(4)]);
    msg.writeUInt32LE(7, 9);
    msg.writeUInt32LE(now - 600, 45);
    const b = Buffer.alloc(114);
    b[0] = 1;
    b[1] = 1;
    b.writeUInt32LE(now - 10, 2);
    b.writeUInt32LE(now - 100, 6);
    b.writeUInt32LE(7, 10);
    hash.copy(b, 14);
    b.writeUInt32LE(now - 600, 46);
    nodeSign(null, msg, privateKey).copy(b, 50);
    const code = `PRTC-HC1:${b.toString('base64url')}`;
    const ok = prtc(['gate', code, '--public-key', pub, '--now', String(now), '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, status: 'yellow', issuedAt: now - 10, syncedAt: now - 600, reasons: [] });
    expect(prtc(['gate', code, '--public-key', pub, '--now', String(now)]).stdout).toBe('valid: yellow\n');
    // a scanner's trailing newline is not damage; the code can come on stdin
    expect(prtc(['gate', '-', '--public-key', pub, '--now', String(now)], `${code}\r\n`).stdout).toBe('valid: yellow\n');
    // an invalid code is a negative result: exit 1, and why
    const stale = prtc(['gate', code, '--public-key', pub, '--now', String(now + 120), '--json']);
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout).reasons.map((r: { code: string }) => r.code)).toEqual(['stale_code']);
    expect(prtc(['gate', code, '--public-key', pub, '--now', String(now + 120)]).stdout).toMatch(/^not valid: the code was made 130 s ago/);
  });
});
