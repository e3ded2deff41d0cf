/**
 * One venue poster, laid out once for every place that prints it — the `prtc` command line (SVG,
 * PNG, PDF), the mini-program's "venue code" page and the key server's `/venue` page (a canvas):
 * the same layout, the same text measuring and wrapping, the same QR settings, so all three print
 * the same poster. Each side brings a `Measurer` (its own font's metrics) and draws the operations
 * (svg.ts, canvas.ts).
 *
 * Units are millimetres on the paper; text `size` is the font size in mm. Chinese first, English
 * second; text wraps between any two CJK characters and at spaces between Latin words (a word too
 * long for a line is cut), never runs off the page, and shrinks (to a floor) before it would need
 * more lines than its block allows.
 */
import qrcode from 'qrcode-generator';

export type Paper = 'A4' | 'A5' | 'A6';
export const PAPER_MM: Record<Paper, { w: number; h: number }> = { A4: { w: 210, h: 297 }, A5: { w: 148, h: 210 }, A6: { w: 105, h: 148 } };

/** The width of `text` in mm at font size `sizeMm` (bold or not), in the drawing side's font. */
export type Measurer = (text: string, sizeMm: number, bold: boolean) => number;

export interface PosterText {
  /** The venue's name or description (the owner's words, any script). */
  title: string;
  /** Lines under the title: the kind of place, the event's time — each as Chinese and English. */
  details: { zh: string; en: string }[];
}

export type DrawOp =
  | { op: 'rect'; x: number; y: number; w: number; h: number; fill: string }
  /** `y` is the baseline; `x` the centre (text is centred). */
  | { op: 'text'; text: string; x: number; y: number; size: number; bold: boolean; fill: string }
  /** A QR code with its quiet zone: `modules` is the dark/light matrix, drawn in a `size` mm square from (x, y). */
  | { op: 'qr'; x: number; y: number; size: number; modules: boolean[][]; quiet: number };

export interface PosterLayout {
  paper: Paper;
  widthMm: number;
  heightMm: number;
  ops: DrawOp[];
  qr: { version: number; ecc: 'M' | 'L'; modules: number; moduleMm: number };
}

/** The fixed words of every poster. */
export const POSTER_WORDS = {
  scan: { zh: '请用微信扫一扫，登记到访', en: 'Scan with WeChat to check in' },
  privacy: {
    zh: '到访记录只保存在您的手机上。如有到访者后来确诊，您的手机会提醒您。',
    en: 'Your visit is recorded only on your phone. If a visitor later tests positive, your phone warns you.',
  },
  footer: { zh: 'PrTC 健康码 · 场所码', en: 'PrTC health code · venue code' },
} as const;

/** QR quiet zone, in modules (ISO/IEC 18004 asks for 4). */
export const QUIET = 4;
/** The smallest module the poster accepts, per paper: what a phone resolves from the distance that paper is read at. */
export const MIN_MODULE_MM: Record<Paper, number> = { A4: 2.8, A5: 2.0, A6: 1.3 };

/** The QR matrix of `text` at error-correction level `ecc`, in byte mode, the smallest version that holds it. */
export function qrMatrix(text: string, ecc: 'M' | 'L'): { modules: boolean[][]; version: number } {
  const qr = qrcode(0, ecc);
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const modules = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
  return { modules, version: (n - 17) / 4 };
}

/** Splits `text` into tokens a line may break between: each CJK character alone, Latin words with their following space. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+\s*|\s+/g;
  for (const m of text.trim().matchAll(re)) out.push(m[0]);
  return out;
}

/** Punctuation that may not start a line (it joins the line before). */
const NO_LINE_START = /^[，。、：；！？）」』”’,.:;!?)]/;

/** Breaks `text` into lines no wider than `maxMm` at `size`. */
export function wrapText(text: string, maxMm: number, size: number, bold: boolean, measure: Measurer): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (s: string) => measure(s.trimEnd(), size, bold) <= maxMm;
  for (const tok of tokens(text)) {
    if (fits(line + tok) || (NO_LINE_START.test(tok) && line !== '')) {
      line += tok;
      continue;
    }
    if (line.trim()) lines.push(line.trimEnd());
    // a token wider than a whole line (a long word): cut it by characters
    let rest = tok.trimStart();
    while (rest && !fits(rest)) {
      let k = rest.length - 1;
      while (k > 1 && !fits(rest.slice(0, k))) k--;
      lines.push(rest.slice(0, k));
      rest = rest.slice(k);
    }
    line = rest;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** Wraps `text` into at most `maxLines` lines, shrinking from `size` down to `minSize` as needed; the last resort cuts with "…". */
export function fitText(
  text: string,
  maxMm: number,
  size: number,
  minSize: number,
  maxLines: number,
  bold: boolean,
  measure: Measurer,
): { lines: string[]; size: number } {
  for (let s = size; s >= minSize; s *= 0.92) {
    const lines = wrapText(text, maxMm, s, bold, measure);
    if (lines.length <= maxLines) return { lines, size: s };
  }
  const lines = wrapText(text, maxMm, minSize, bold, measure).slice(0, maxLines);
  let last = lines[maxLines - 1];
  while (last.length > 1 && measure(`${last}…`, minSize, bold) > maxMm) last = last.slice(0, -1);
  lines[maxLines - 1] = `${last}…`;
  return { lines, size: minSize };
}

/**
 * The poster: title (up to 3 lines), details, the QR as large as the paper allows, the instruction
 * and the privacy line (each in Chinese, then English), a footer. The QR's error correction is M
 * when its modules stay at least MIN_MODULE_MM[paper] wide, L otherwise (more modules fit: a long
 * Chinese name still scans from the distance the paper is read at).
 */
export function posterLayout(link: string, text: PosterText, paper: Paper, measure: Measurer): PosterLayout {
  const { w, h } = PAPER_MM[paper];
  const k = w / 210; // everything scales with the paper (A4 = 1)
  const margin = 12 * k;
  const inner = w - 2 * margin;
  const ops: DrawOp[] = [{ op: 'rect', x: 0, y: 0, w, h, fill: '#ffffff' }];
  const dark = '#111111';
  const grey = '#444444';

  // the QR first: how big it may be decides the rest
  const qrMax = Math.min(inner, h * 0.6);
  let ecc: 'M' | 'L' = 'M';
  let m = qrMatrix(link, 'M');
  if (qrMax / (m.modules.length + 2 * QUIET) < MIN_MODULE_MM[paper]) {
    ecc = 'L';
    m = qrMatrix(link, 'L');
  }
  const count = m.modules.length + 2 * QUIET;

  // the text blocks, measured
  const title = fitText(text.title, inner, 13 * k, 7 * k, 3, true, measure);
  // each detail on one line "中文 · English" when it fits, else the Chinese line above the English one
  const details = text.details.flatMap((d) => {
    const joined = `${d.zh} · ${d.en}`;
    if (measure(joined, 5.5 * k, false) <= inner) return [{ lines: [joined], size: 5.5 * k }];
    return [fitText(d.zh, inner, 5.5 * k, 3.5 * k, 2, false, measure), fitText(d.en, inner, 5.5 * k, 3.5 * k, 2, false, measure)];
  });
  const scanZh = fitText(POSTER_WORDS.scan.zh, inner, 8.5 * k, 5 * k, 2, true, measure);
  const scanEn = fitText(POSTER_WORDS.scan.en, inner, 6.5 * k, 4 * k, 2, false, measure);
  const privZh = fitText(POSTER_WORDS.privacy.zh, inner, 4.2 * k, 3 * k, 3, false, measure);
  const privEn = fitText(POSTER_WORDS.privacy.en, inner, 3.8 * k, 2.8 * k, 3, false, measure);
  const footer = fitText(`${POSTER_WORDS.footer.zh} · ${POSTER_WORDS.footer.en}`, inner, 3.2 * k, 2.5 * k, 1, false, measure);
  const lead = 1.3;
  const blockH = (b: { lines: string[]; size: number }) => b.lines.length * b.size * lead;
  const textH =
    blockH(title) +
    details.reduce((s, d) => s + blockH(d), 0) +
    blockH(scanZh) +
    blockH(scanEn) +
    blockH(privZh) +
    blockH(privEn) +
    blockH(footer);
  // the QR takes what the text leaves (never more than qrMax), then the free height is spread as gaps
  const gaps = 6;
  const qrSize = Math.min(qrMax, h - 2 * margin - textH - gaps * 4 * k);
  const free = Math.max(0, h - 2 * margin - textH - qrSize);
  const gap = free / gaps;

  let y = margin;
  const put = (b: { lines: string[]; size: number }, bold: boolean, fill: string) => {
    for (const line of b.lines) {
      y += b.size * lead;
      ops.push({ op: 'text', text: line, x: w / 2, y: y - b.size * (lead - 1) - b.size * 0.12, size: b.size, bold, fill });
    }
  };
  put(title, true, dark);
  y += gap * 0.5;
  for (const d of details) put(d, false, grey);
  y += gap;
  ops.push({ op: 'qr', x: (w - qrSize) / 2, y, size: qrSize, modules: m.modules, quiet: QUIET });
  y += qrSize + gap;
  put(scanZh, true, dark);
  put(scanEn, false, dark);
  y += gap;
  put(privZh, false, grey);
  put(privEn, false, grey);
  y += gap * 1.5;
  put(footer, false, grey);
  return { paper, widthMm: w, heightMm: h, ops, qr: { version: m.version, ecc, modules: m.modules.length, moduleMm: qrSize / count } };
}
