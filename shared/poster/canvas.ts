/**
 * A venue poster painted on a 2D canvas that can measure text — the mini-program's Canvas 2D, the
 * browser's canvas on `/venue` — with the layout every other side prints (layout.ts): the canvas's
 * own font metrics measure the text, then the same operations are drawn.
 */
import { drawPoster, type Canvas2D } from './draw';
import { PAPER_MM, posterLayout, type Measurer, type Paper, type PosterLayout } from './layout';
import { posterText, type LocalParts, type PosterVenue } from './venue-text';

export interface MeasuringCanvas2D extends Canvas2D {
  measureText(text: string): { width: number };
}

/** Text widths in mm, measured by the canvas in `family` at `pxPerMm`. */
export function canvasMeasurer(ctx: MeasuringCanvas2D, pxPerMm: number, family: string): Measurer {
  return (text, sizeMm, bold) => {
    ctx.font = `${bold ? 'bold ' : ''}${(sizeMm * pxPerMm).toFixed(2)}px ${family}`;
    return ctx.measureText(text).width / pxPerMm;
  };
}

/** The canvas size in pixels for a paper at a resolution (A5 at 150 dpi: 874 × 1240). */
export function paperPixels(paper: Paper, dpi: number): { width: number; height: number } {
  const { w, h } = PAPER_MM[paper];
  return { width: Math.round((w / 25.4) * dpi), height: Math.round((h / 25.4) * dpi) };
}

export type { PosterVenue };

/** Lays out the venue's poster with the canvas's metrics and paints it over the whole canvas (`widthPx` wide). */
export function paintVenuePoster(
  ctx: MeasuringCanvas2D,
  link: string,
  venue: PosterVenue,
  parts: LocalParts,
  paper: Paper,
  widthPx: number,
  family: string,
): PosterLayout {
  const pxPerMm = widthPx / PAPER_MM[paper].w;
  const layout = posterLayout(link, posterText(venue, parts), paper, canvasMeasurer(ctx, pxPerMm, family));
  drawPoster(ctx, layout, pxPerMm, family);
  return layout;
}

/** A moment's local parts as the running system reads them (the phone's or the browser's time zone). */
export const systemParts: LocalParts = (ms) => {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const zone = off === 0 ? 'UTC' : `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return { y: d.getFullYear(), mo: d.getMonth() + 1, d: d.getDate(), h: d.getHours(), mi: d.getMinutes(), zone };
};
