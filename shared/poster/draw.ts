/**
 * Drawing a poster layout (layout.ts): as SVG text, or onto any 2D canvas — the browser's, the
 * mini-program's Canvas 2D, @napi-rs/canvas in Node — through the few calls they share.
 */
import type { PosterLayout } from './layout';

/** The font family a poster names, with fallbacks that have CJK glyphs on common systems. */
export const POSTER_FONT_STACK =
  "'PrTC Poster', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans', sans-serif";

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The modules of a QR as one SVG path in module units. */
function qrPath(modules: boolean[][]): string {
  let d = '';
  modules.forEach((row, r) => {
    for (let c = 0; c < row.length;) {
      if (!row[c]) {
        c++;
        continue;
      }
      let run = 1;
      while (c + run < row.length && row[c + run]) run++;
      d += `M${c} ${r}h${run}v1h-${run}z`;
      c += run;
    }
  });
  return d;
}

export function posterSvg(layout: PosterLayout): string {
  const body = layout.ops.map((o) => {
    if (o.op === 'rect') return `<rect x="${o.x}" y="${o.y}" width="${o.w}" height="${o.h}" fill="${o.fill}"/>`;
    if (o.op === 'text')
      return `<text x="${o.x.toFixed(2)}" y="${o.y.toFixed(2)}" font-size="${o.size.toFixed(2)}"${o.bold ? ' font-weight="bold"' : ''} fill="${o.fill}" text-anchor="middle">${escapeXml(o.text)}</text>`;
    const n = o.modules.length + 2 * o.quiet;
    return `<g transform="translate(${o.x.toFixed(3)} ${o.y.toFixed(3)}) scale(${(o.size / n).toFixed(5)})"><rect width="${n}" height="${n}" fill="#fff"/><path transform="translate(${o.quiet} ${o.quiet})" d="${qrPath(o.modules)}" fill="#000"/></g>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${layout.widthMm}mm" height="${layout.heightMm}mm" viewBox="0 0 ${layout.widthMm} ${layout.heightMm}" font-family="${POSTER_FONT_STACK.replace(/"/g, "'")}">
${body.join('\n')}
</svg>
`;
}

/** What a poster needs of a 2D canvas context (browser, WeChat Canvas 2D and @napi-rs/canvas all have it). */
export interface Canvas2D {
  fillStyle: string | unknown;
  font: string;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
}

/** Draws the layout at `pxPerMm`; text in `family` (a registered font with CJK glyphs). */
export function drawPoster(ctx: Canvas2D, layout: PosterLayout, pxPerMm: number, family: string): void {
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  for (const o of layout.ops) {
    if (o.op === 'rect') {
      ctx.fillStyle = o.fill;
      ctx.fillRect(o.x * pxPerMm, o.y * pxPerMm, o.w * pxPerMm, o.h * pxPerMm);
    } else if (o.op === 'text') {
      ctx.fillStyle = o.fill;
      ctx.font = `${o.bold ? 'bold ' : ''}${(o.size * pxPerMm).toFixed(2)}px ${family}`;
      ctx.fillText(o.text, o.x * pxPerMm, o.y * pxPerMm);
    } else {
      const n = o.modules.length + 2 * o.quiet;
      // whole pixels per module where possible: crisp edges scan better than anti-aliased ones
      const unit = (o.size * pxPerMm) / n;
      const x0 = Math.round(o.x * pxPerMm);
      const y0 = Math.round(o.y * pxPerMm);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(x0, y0, Math.round(n * unit), Math.round(n * unit));
      ctx.fillStyle = '#000000';
      o.modules.forEach((row, r) =>
        row.forEach((dark, c) => {
          if (!dark) return;
          const x = x0 + Math.round((c + o.quiet) * unit);
          const y = y0 + Math.round((r + o.quiet) * unit);
          ctx.fillRect(x, y, x0 + Math.round((c + o.quiet + 1) * unit) - x, y0 + Math.round((r + o.quiet + 1) * unit) - y);
        }),
      );
    }
  }
}
