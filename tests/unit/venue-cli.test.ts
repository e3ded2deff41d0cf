/**
 * The venue and gate commands of the prtc tool, run as real processes. Posters are checked by
 * rasterising their QR path and reading it back with an independent QR decoder (jsQR).
 */
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { runTool } from '../helpers/run-tool';

const prtc = (args: string[]) => runTool('tools/prtc.ts', args);
const tmp = () => mkdtempSync(join(tmpdir(), 'prtc-venue-'));

/** Reads the QR code out of a poster: its module path drawn at 4 px a module, decoded by jsQR. */
function readPosterQr(svg: string): string | null {
  const size = Number(/<rect width="(\d+)" height="\d+" fill="#fff"\/><path/.exec(svg)![1]);
  const d = /<path transform="translate\((\d+) \d+\)" d="([^"]*)"/.exec(svg)!;
  const quiet = Number(d[1]);
  const px = 4;
  const w = size * px;
  const rgba = new Uint8ClampedArray(w * w * 4).fill(255);
  for (const m of d[2].matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [c, r, run] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let y = (r + quiet) * px; y < (r + quiet + 1) * px; y++) {
      for (let x = (c + quiet) * px; x < (c + quiet + run) * px; x++) rgba.fill(0, (y * w + x) * 4, (y * w + x) * 4 + 3);
    }
  }
  return jsQR(rgba, w, w)?.data ?? null;
}

describe('prtc venue-create / venue', () => {
  test('a created venue decodes to its fields; its location id is SHA-256("PrTC-VENUE" || payload)', () => {
    const r = prtc(['venue-create', '--desc', 'Café Lumière', '--type', 'restaurant', '--minutes', '45', '--host', 'qr.example.org']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const link = r.stdout.trim();
    expect(link).toMatch(/^https:\/\/qr\.example\.org\/v#[A-Za-z0-9_-]+$/);
    const payload = Buffer.from(link.split('#')[1], 'base64url');
    expect(payload.length).toBe(30 + Buffer.byteLength('Café Lumière'));
    const d = prtc(['venue', link]);
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
    // every venue gets its own random seed
    const again = prtc(['venue-create', '--desc', 'Café Lumière', '--type', 'restaurant', '--minutes', '45', '--host', 'qr.example.org']);
    expect(again.stdout.trim()).not.toBe(link);
  });

  test('staff and event codes', () => {
    const staff = JSON.parse(
      prtc(['venue', prtc(['venue-create', '--desc', 'Ward 3 staff', '--type', 'healthcare', '--staff']).stdout.trim()]).stdout,
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
    ]);
    expect(JSON.parse(prtc(['venue', ev.stdout.trim()]).stdout)).toMatchObject({
      event: true,
      validFrom: '2026-12-01T18:00:00.000Z',
      validUntil: '2026-12-01T22:00:00.000Z',
    });
  });

  test("a Corona-Warn-App link decodes with CWA's location id", () => {
    const cwa = JSON.parse(readFileSync(join(__dirname, '../fixtures/cwa-vectors.json'), 'utf8')).payloads[0];
    const r = prtc(['venue', `https://e.coronawarn.app?v=1#${Buffer.from(cwa.payloadBase64, 'base64').toString('base64url')}`]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.format).toBe('cwa');
    expect(Buffer.from(j.locationId, 'hex').toString('base64')).toBe(cwa.locationIdBase64);
    expect(j.description).toBe('My Birthday Party');
    expect(j.address).toBe('at my place');
  });

  test('the poster holds a QR code of the link, the description and the instruction', () => {
    const dir = tmp();
    const file = join(dir, 'poster.svg');
    const r = prtc(['venue-create', '--desc', 'Rooms <A & B>', '--type', '4', '--out', file]);
    expect(r.code).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(readPosterQr(svg)).toBe(r.stdout.trim());
    expect(svg).toContain('Rooms &#60;A &#38; B&#62;');
    expect(svg).toMatch(/Scan this code in the PrTC health-code mini-program to check in/);
  });

  test('bulk creation from CSV writes one poster per row and an index', () => {
    const dir = tmp();
    const csv = join(dir, 'rooms.csv');
    writeFileSync(csv, 'desc,type,staff,minutes\n"Room 1.01, east wing",school,,50\nRoom 1.02,school,,\nStaff room,workplace,yes,\n');
    const outDir = join(dir, 'posters');
    const r = prtc(['venue-create', '--csv', csv, '--out-dir', outDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = readdirSync(outDir).sort();
    expect(files).toEqual(['001-room-1-01-east-wing.svg', '002-room-1-02.svg', '003-staff-room.svg', 'venues.csv']);
    const index = readFileSync(join(outDir, 'venues.csv'), 'utf8').trim().split('\n');
    expect(index).toHaveLength(4);
    const [file, link] = index[1].split(',');
    expect(readPosterQr(readFileSync(join(outDir, file), 'utf8'))).toBe(link);
    expect(JSON.parse(prtc(['venue', link]).stdout)).toMatchObject({
      description: 'Room 1.01, east wing',
      defaultMinutes: 50,
      venueTypeName: 'school',
    });
    expect(JSON.parse(prtc(['venue', index[3].split(',')[1]]).stdout)).toMatchObject({ staff: true, defaultMinutes: 480 });
  });

  test('a bad CSV row is reported by line and nothing is written', () => {
    const dir = tmp();
    const csv = join(dir, 'rooms.csv');
    writeFileSync(csv, 'desc,type\nRoom 1,school\nRoom 2,spaceship\n');
    const r = prtc(['venue-create', '--csv', csv, '--out-dir', join(dir, 'posters')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^prtc: row 3: --type must be/);
    expect(existsSync(join(dir, 'posters'))).toBe(false);
  });

  test.each([
    [['venue-create', '--type', '1'], /missing --desc/],
    [['venue-create', '--desc', 'x'.repeat(101), '--type', '1'], /at most 100/],
    [['venue-create', '--desc', 'x', '--type', '99'], /--type must be/],
    [['venue-create', '--desc', 'x', '--type', '1', '--event', '--from', 'tomorrow', '--until', '2026-12-01T22:00Z'], /not an ISO/],
    [
      ['venue-create', '--desc', 'x', '--type', '1', '--event', '--from', '2026-12-01T22:00Z', '--until', '2026-12-01T18:00Z'],
      /must end after/,
    ],
    [['venue-create', '--desc', 'x', '--type', '1', '--out', 'poster.png'], /\.svg/],
    [['venue-create', '--desc', 'x', '--type', '1', '--bogus'], /Unknown option/],
    [['venue', 'https://example.com/'], /not a venue code/],
    [['venue', 'https://prtc.example.org/v#AQ'], /damaged/],
    [['venue'], /needs one link/],
    [['gate', 'PRTC-HC1:AQ'], /missing --public-key/],
    [['gate', 'PRTC-HC1:AQ', '--public-key', 'abc'], /public-key/],
  ])('%j → one line on stderr, exit 2', (args, msg) => {
    const r = prtc(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(msg as RegExp);
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
    const ok = prtc(['gate', code, '--public-key', pub, '--now', String(now)]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, status: 'yellow', issuedAt: now - 10, syncedAt: now - 600, reasons: [] });
    const stale = JSON.parse(prtc(['gate', code, '--public-key', pub, '--now', String(now + 120)]).stdout);
    expect(stale.valid).toBe(false);
    expect(stale.reasons.map((r: { code: string }) => r.code)).toEqual(['stale_code']);
  });
});
