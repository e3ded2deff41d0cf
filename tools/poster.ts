/**
 * Venue posters on the command line: the layout of shared/poster (the same one the mini-program and
 * the /venue page draw) rendered as SVG, PNG (@napi-rs/canvas: Skia, no browser) or PDF (pdfkit,
 * the font embedded). Text needs a font with CJK glyphs: PRTC_POSTER_FONT, or one of Debian's
 * (fonts-noto-cjk, fonts-wqy-microhei, fonts-droid-fallback) — never a silent fallback that would
 * print Chinese as boxes.
 */
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import PDFDocument from 'pdfkit';
import { drawPoster, posterSvg } from '../shared/poster/draw';
import { posterLayout, type Measurer, type Paper, type PosterLayout } from '../shared/poster/layout';
import { posterText, type LocalParts } from '../shared/poster/venue-text';
import type { Venue } from '../shared/protocol/venue';

export type PosterFormat = 'svg' | 'png' | 'pdf';

export class PosterError extends Error {}

const FONT_FAMILY = 'PrTC Poster';

/** Fonts with CJK glyphs, in order of preference: the one the operator names, then Debian's. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
];

/** The font file posters are drawn with. */
export function posterFont(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.PRTC_POSTER_FONT;
  if (named) {
    if (!existsSync(named)) throw new PosterError(`PRTC_POSTER_FONT=${named}: no such file`);
    return named;
  }
  const found = FONT_CANDIDATES.find((f) => existsSync(f));
  if (!found)
    throw new PosterError(
      'no font with Chinese characters found: install one (Debian: apt-get install fonts-wqy-microhei) or set PRTC_POSTER_FONT to a .ttf/.otf/.ttc file',
    );
  return found;
}

let registered: string | null = null;
function canvasFont(file: string): void {
  if (registered === file) return;
  if (!GlobalFonts.registerFromPath(file, FONT_FAMILY)) throw new PosterError(`cannot load the font ${file}`);
  registered = file;
}

/** Measuring text with the poster font on a canvas (what the PNG and SVG outputs use). */
export function canvasMeasurer(file: string): Measurer {
  canvasFont(file);
  const ctx = createCanvas(10, 10).getContext('2d');
  return (text, size, bold) => {
    ctx.font = `${bold ? 'bold ' : ''}100px "${FONT_FAMILY}"`;
    return (ctx.measureText(text).width * size) / 100;
  };
}

/** Local time in the IANA zone `tz` (the venue's), with the zone as "UTC+08:00". */
export function zoneParts(tz: string): LocalParts {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      timeZoneName: 'longOffset',
    });
  } catch {
    throw new PosterError(`unknown time zone "${tz}" (an IANA name such as Asia/Shanghai)`);
  }
  return (ms) => {
    const p: Record<string, string> = {};
    for (const x of fmt.formatToParts(new Date(ms))) p[x.type] = x.value;
    const zone = p.timeZoneName === 'GMT' ? 'UTC' : p.timeZoneName.replace('GMT', 'UTC');
    return { y: +p.year, mo: +p.month, d: +p.day, h: +p.hour, mi: +p.minute, zone };
  };
}

export interface PosterOptions {
  paper?: Paper;
  /** The venue's time zone (IANA), for an event's times. */
  tz?: string;
  /** PNG resolution. */
  dpi?: number;
  font?: string;
}

export function venueLayout(link: string, venue: Venue, measure: Measurer, opts: PosterOptions = {}): PosterLayout {
  const tz = opts.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return posterLayout(link, posterText(venue, zoneParts(tz)), opts.paper ?? 'A4', measure);
}

/** The poster of a venue link, as the file bytes of `format`. */
export async function renderPoster(link: string, venue: Venue, format: PosterFormat, opts: PosterOptions = {}): Promise<Buffer> {
  const font = opts.font ?? posterFont();
  if (format === 'svg') return Buffer.from(posterSvg(venueLayout(link, venue, canvasMeasurer(font), opts)), 'utf8');
  if (format === 'png') {
    const layout = venueLayout(link, venue, canvasMeasurer(font), opts);
    const pxPerMm = (opts.dpi ?? 300) / 25.4;
    const canvas = createCanvas(Math.round(layout.widthMm * pxPerMm), Math.round(layout.heightMm * pxPerMm));
    drawPoster(canvas.getContext('2d') as never, layout, pxPerMm, `"${FONT_FAMILY}"`);
    return canvas.toBuffer('image/png');
  }
  return pdfPoster(link, venue, font, opts);
}

const PT_PER_MM = 72 / 25.4;

/** The poster as a PDF: vector QR and text, the font embedded (subset), measured with pdfkit's own metrics. */
async function pdfPoster(link: string, venue: Venue, font: string, opts: PosterOptions): Promise<Buffer> {
  const paper = opts.paper ?? 'A4';
  const doc = new PDFDocument({ size: paper, margin: 0, autoFirstPage: true, info: { Title: venue.description, Creator: 'PrTC' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const family = fontInCollection(font);
  doc.registerFont(FONT_FAMILY, font, family);
  doc.font(FONT_FAMILY);
  const measure: Measurer = (text, size) => doc.fontSize(size * PT_PER_MM).widthOfString(text) / PT_PER_MM;
  const layout = venueLayout(link, venue, measure, opts);
  for (const o of layout.ops) {
    if (o.op === 'rect') doc.rect(o.x * PT_PER_MM, o.y * PT_PER_MM, o.w * PT_PER_MM, o.h * PT_PER_MM).fill(o.fill);
    else if (o.op === 'text') {
      const size = o.size * PT_PER_MM;
      const width = doc.fontSize(size).widthOfString(o.text);
      // pdfkit places text by its top; the layout gives the baseline
      const ascent = (doc as unknown as { _font: { ascender: number } })._font.ascender / 1000;
      doc
        .fillColor(o.fill)
        .strokeColor(o.fill)
        .lineWidth(o.bold ? size * 0.03 : 0)
        .text(o.text, o.x * PT_PER_MM - width / 2, o.y * PT_PER_MM - ascent * size, { lineBreak: false, fill: true, stroke: o.bold });
    } else {
      const n = o.modules.length + 2 * o.quiet;
      const unit = (o.size * PT_PER_MM) / n;
      const x0 = o.x * PT_PER_MM;
      const y0 = o.y * PT_PER_MM;
      doc.rect(x0, y0, n * unit, n * unit).fill('#ffffff');
      o.modules.forEach((row, r) =>
        row.forEach((dark, c) => {
          if (dark) doc.rect(x0 + (c + o.quiet) * unit, y0 + (r + o.quiet) * unit, unit + 0.01, unit + 0.01);
        }),
      );
      doc.fill('#000000');
    }
  }
  doc.end();
  return done;
}

/** For a font collection (.ttc), the PostScript name of its first font (pdfkit needs one); undefined for a single font. */
function fontInCollection(file: string): string | undefined {
  if (!/\.ttc$/i.test(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fontkit = require('fontkit') as { openSync(f: string): { fonts?: { postscriptName: string }[] } };
  return fontkit.openSync(file).fonts?.[0]?.postscriptName;
}
