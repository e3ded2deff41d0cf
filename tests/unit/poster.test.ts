/**
 * Venue posters as a café owner prints them: the layout keeps every line on the page (CJK and Latin,
 * the longest §7 name), and the QR code is read back by an independent decoder (jsQR) from the PNG
 * render at print resolution and as a phone's camera sees it from a distance — the poster scaled to
 * what a 1280-pixel camera frame with a 65° field of view covers from there (1 px per mm at 1 m).
 * The PDF embeds its font and is checked with poppler's tools when installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import jsQR from 'jsqr';
import { posterLayout, PAPER_MM, wrapText, type Paper } from '../../shared/poster/layout';
import { parseVenueUrl, encodeVenuePayload, venueUrl } from '../../shared/protocol/venue';
import { posterText } from '../../shared/poster/venue-text';
import { canvasMeasurer, posterFont, renderPoster } from '../../tools/poster';

const font = (() => {
  try {
    return posterFont();
  } catch (e) {
    process.stderr.write(`poster.test: SKIPPED — ${(e as Error).message}\n`);
    return null;
  }
})();
const maybe = font ? test : test.skip;

/** The §7 maximum: 100 bytes of UTF-8, 33 Chinese characters. */
const LONG_ZH = '北京市朝阳区三里屯太古里南区星巴克臻选咖啡旗舰店二楼露台座位区外';
function venue(description: string, extra: Partial<{ staff: boolean; event: boolean; validFrom: number; validUntil: number }> = {}) {
  const payload = encodeVenuePayload({
    venueType: 2,
    staff: false,
    event: false,
    validFrom: 0,
    validUntil: 0,
    defaultMinutes: 60,
    description,
    seed: new Uint8Array(16).fill(7),
    ...extra,
  });
  const link = venueUrl('qr.example.org', payload);
  return { link, venue: parseVenueUrl(link) };
}

/**
 * A phone's scanner at `distanceM`: frames of 1080 pixels across a 65° field of view (a 1080p preview
 * held upright: 0.85 px per mm at 1 m), taken at ±3 % scale and sub-pixel offsets as a hand moves;
 * returns how many of the 9 frames jsQR decodes to `link`. At print resolution (null) one frame.
 */
async function framesRead(png: Buffer, paper: Paper, distanceM: number | null, link: string): Promise<number> {
  const img = await loadImage(png);
  const decode = (pxPerMm: number, off: number) => {
    const w = Math.round(PAPER_MM[paper].w * pxPerMm) + 2;
    const h = Math.round((PAPER_MM[paper].w * pxPerMm * img.height) / img.width) + 2;
    const c = createCanvas(w, h);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, off, off, w - 2, h - 2);
    return jsQR(new Uint8ClampedArray(ctx.getImageData(0, 0, w, h).data), w, h)?.data === link ? 1 : 0;
  };
  if (distanceM === null) return decode(img.width / PAPER_MM[paper].w, 0);
  let ok = 0;
  for (const scale of [0.97, 1, 1.03])
    for (const off of [0, 0.33, 0.67]) ok += decode((scale * 1080) / (2 * Math.tan((32.5 * Math.PI) / 180) * distanceM * 1000), off);
  return ok;
}

test('a code with a region (§15) names it under the kind of place, province first; without one, nothing', () => {
  const parts = () => ({ y: 2026, mo: 12, d: 7, h: 9, mi: 0, zone: 'UTC+08:00' });
  const tea = { description: '茶馆', venueType: 2, staff: false, event: false, validFrom: 0, validUntil: 0 };
  expect(posterText({ ...tea, region: 320500 }, parts).details).toEqual([
    { zh: '餐厅', en: 'Restaurant' },
    { zh: '所在地区：江苏省苏州市', en: 'Region 320500' },
  ]);
  // a municipality is its own province: named once
  expect(posterText({ ...tea, region: 310000 }, parts).details[1]).toEqual({ zh: '所在地区：上海市', en: 'Region 310000' });
  expect(posterText({ ...tea, region: null }, parts).details).toEqual([{ zh: '餐厅', en: 'Restaurant' }]);
  expect(posterText(tea, parts).details).toEqual([{ zh: '餐厅', en: 'Restaurant' }]);
});

test('wrapping: CJK breaks between characters, Latin at spaces, no line starts with closing punctuation', () => {
  const mono = (s: string, size: number) => s.length * size; // every character one em
  expect(wrapText('健康码场所码', 3, 1, false, mono)).toEqual(['健康码', '场所码']);
  expect(wrapText('Scan with WeChat', 9, 1, false, mono)).toEqual(['Scan with', 'WeChat']);
  expect(wrapText('登记到访，谢谢', 4, 1, false, mono)).toEqual(['登记到访，', '谢谢']);
  expect(wrapText('Supercalifragilistic', 8, 1, false, mono)).toEqual(['Supercal', 'ifragili', 'stic']);
});

describe.each(['A4', 'A5', 'A6'] as Paper[])('%s', (paper) => {
  maybe('the longest Chinese name and a long English one: every line inside the margins, title in at most 3 lines', () => {
    const measure = canvasMeasurer(font!);
    for (const name of [LONG_ZH, 'The Extraordinarily Long-Named Riverside Community Library Reading Room & Café, 2nd floor']) {
      const v = venue(name);
      const layout = posterLayout(v.link, { title: name, details: [{ zh: '餐厅', en: 'Restaurant' }] }, paper, measure);
      const { w, h } = PAPER_MM[paper];
      const texts = layout.ops.filter((o) => o.op === 'text');
      for (const t of texts) {
        const width = measure(t.text, t.size, t.bold);
        expect([t.text, t.x - width / 2 >= 0, t.x + width / 2 <= w, t.y > 0 && t.y < h]).toEqual([t.text, true, true, true]);
      }
      const titleLines = texts.filter((t) => name.includes(t.text.replace(/…$/, '')));
      expect(titleLines.length).toBeGreaterThan(0);
      expect(titleLines.length).toBeLessThanOrEqual(3);
      expect(
        titleLines
          .map((t) => t.text)
          .join('')
          .replace(/\s+/g, ''),
      ).toBe(name.replace(/\s+/g, '')); // nothing cut
      const qr = layout.ops.find((o) => o.op === 'qr')!;
      expect(qr.op === 'qr' && qr.y + qr.size).toBeLessThan(h);
    }
  });
});

maybe(
  'the QR of a 100-byte Chinese name reads back from the PNG at print resolution and from 1 m (A4), 0.7 m (A5), 0.45 m (A6)',
  async () => {
    const v = venue(LONG_ZH);
    const seen: string[] = [];
    for (const [paper, distance] of [
      ['A4', 1.0],
      ['A5', 0.7],
      ['A6', 0.45],
    ] as [Paper, number][]) {
      const png = await renderPoster(v.link, v.venue, 'png', { paper, dpi: 200 });
      expect([paper, 'print', await framesRead(png, paper, null, v.link)]).toEqual([paper, 'print', 1]);
      const frames = await framesRead(png, paper, distance, v.link);
      seen.push(`${paper} at ${distance} m: ${frames}/9 frames`);
      expect([paper, distance, frames >= 5]).toEqual([paper, distance, true]); // most frames of a scan, not a lucky one
    }
    process.stderr.write(`poster.test: ${seen.join('; ')}\n`);
  },
);

maybe('event times are local to the venue, with the zone named', async () => {
  const from = Date.parse('2026-12-01T18:00+08:00') / 60000;
  const v = venue('Concert', { event: true, validFrom: from, validUntil: from + 240 });
  const svg = (await renderPoster(v.link, v.venue, 'svg', { tz: 'Asia/Shanghai' })).toString('utf8');
  expect(svg).toContain('活动时间 12月1日 18:00 – 22:00（UTC+08:00）');
  expect(svg).toContain('Event 2026-12-01 18:00 – 22:00 (UTC+08:00)');
  const ny = (await renderPoster(v.link, v.venue, 'svg', { tz: 'America/New_York' })).toString('utf8');
  expect(ny).toContain('Event 2026-12-01 05:00 – 09:00 (UTC-05:00)');
});

maybe('the SVG names its font with CJK fallbacks, escapes the name, and is bilingual', async () => {
  const v = venue('Rooms <A & B>');
  const svg = (await renderPoster(v.link, v.venue, 'svg')).toString('utf8');
  expect(svg).toMatch(/font-family="'PrTC Poster', 'Noto Sans CJK SC', .*'WenQuanYi Micro Hei'.*sans-serif"/);
  expect(svg).toContain('Rooms &#60;A &#38; B&#62;');
  expect(svg).toContain('请用微信扫一扫，登记到访');
  expect(svg).toContain('Scan with WeChat to check in');
});

const poppler = spawnSync('pdftoppm', ['-v']).error === undefined;
if (!poppler)
  process.stderr.write('poster.test: poppler-utils is not installed: the PDF checks are SKIPPED (apt-get install poppler-utils)\n');

(font && poppler ? test : test.skip)('the PDF embeds its font, carries the text, and its QR reads back when rendered', async () => {
  const v = venue(LONG_ZH);
  const dir = mkdtempSync(join(tmpdir(), 'prtc-pdf-'));
  const file = join(dir, 'poster.pdf');
  writeFileSync(file, await renderPoster(v.link, v.venue, 'pdf'));
  expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/ yes yes yes /); // embedded, subset, unicode
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  expect(text.replace(/\s+/g, '')).toContain(LONG_ZH);
  expect(text).toContain('Scan with WeChat to check in');
  execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', file, join(dir, 'page')]);
  const png = (await import('node:fs')).readFileSync(join(dir, 'page.png'));
  expect(await framesRead(png, 'A4', null, v.link)).toBe(1);
  expect(await framesRead(png, 'A4', 1.0, v.link)).toBeGreaterThanOrEqual(5);
});
