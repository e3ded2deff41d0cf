/**
 * The /venue page's script (bundled at build time, `npm run build -- venue`: see ../script.ts): a
 * venue owner's poster made in the browser with the layout every other side prints (shared/poster),
 * downloaded as PNG (the canvas) or PDF (jsPDF). A CSV of many rooms is read from a local file.
 * Nothing is sent anywhere: the page's CSP has `connect-src 'none'`, and the only requests are for
 * this script and its stylesheet.
 */
import { parse } from 'csv-parse/browser/esm/sync';
import { jsPDF } from 'jspdf';
import { paintVenuePoster, paperPixels, systemParts } from '../../../../shared/poster/canvas';
import { POSTER_FONT_STACK } from '../../../../shared/poster/draw';
import { PAPER_MM, type Paper } from '../../../../shared/poster/layout';
import {
  DRAFT_PROBLEM_WORDS,
  draftProblems,
  nameBytesLeft,
  posterVenueOf,
  venueLinkOf,
  type VenueDraft,
} from '../../../../shared/poster/venue-draft';
import { VENUE_TYPES } from '../../../../shared/protocol/venue';
import { BUILD_REGIONS, findRegion } from '../../../../shared/regions';

const DPI = 150;
const MAX_CSV_BYTES = 1024 * 1024;
const MAX_CSV_ROWS = 500;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const linkHost = document.body.dataset.linkHost ?? location.host;

function seed(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(16));
}

/**
 * §15: a region as the form's select or a CSV cell gives it — empty: not given (null); a six-digit
 * code of the list, or a name of the list's that names one region — else NaN, which the draft's
 * check refuses as `region_invalid`.
 */
function regionOf(v: string): number | null {
  const t = v.trim();
  if (!t) return null;
  if (/^\d{6}$/.test(t)) return findRegion(BUILD_REGIONS, Number(t)) ? Number(t) : NaN;
  const named = BUILD_REGIONS.filter((r) => r.zh === t);
  return named.length === 1 ? named[0].code : NaN;
}

/** A local date-time (datetime-local or ISO) as minutes since the epoch; null when empty or unreadable. */
function minutesOf(v: string): number | null {
  if (!v.trim()) return null;
  const ms = Date.parse(v.trim());
  return Number.isNaN(ms) ? null : Math.floor(ms / 60_000);
}

function posterCanvas(link: string, d: VenueDraft, paper: Paper, canvas: HTMLCanvasElement): void {
  const { width, height } = paperPixels(paper, DPI);
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  paintVenuePoster(ctx, link, posterVenueOf(d), systemParts, paper, width, POSTER_FONT_STACK);
}

function addPage(pdf: jsPDF, canvas: HTMLCanvasElement, paper: Paper, first: boolean): void {
  const { w, h } = PAPER_MM[paper];
  if (!first) pdf.addPage(paper.toLowerCase(), 'portrait');
  pdf.addImage(canvas.toDataURL('image/png'), 'PNG', 0, 0, w, h);
}

function setDownload(a: HTMLAnchorElement, blob: Blob): void {
  if (a.href.startsWith('blob:')) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(blob);
  a.hidden = false;
}

function list(ul: HTMLElement, items: string[]): void {
  ul.replaceChildren(
    ...items.map((t) => {
      const li = document.createElement('li');
      li.textContent = t;
      return li;
    }),
  );
}

const problemText = (p: keyof typeof DRAFT_PROBLEM_WORDS) => `${DRAFT_PROBLEM_WORDS[p].zh} ${DRAFT_PROBLEM_WORDS[p].en}`;

function showBytes(): void {
  const left = nameBytesLeft($<HTMLInputElement>('name').value);
  const el = $('bytes');
  el.textContent = left >= 0 ? `还可输入 ${left} 字节 · ${left} bytes left` : `超出 ${-left} 字节 · ${-left} bytes too long`;
  el.className = left >= 0 ? 'hint' : 'over';
}

function formDraft(): VenueDraft {
  const event = $<HTMLInputElement>('event').checked;
  return {
    name: $<HTMLInputElement>('name').value,
    venueType: Number($<HTMLSelectElement>('type').value),
    minutes: Number($<HTMLInputElement>('minutes').value),
    staff: $<HTMLInputElement>('staff').checked,
    event,
    fromMin: event ? minutesOf($<HTMLInputElement>('from').value) : null,
    untilMin: event ? minutesOf($<HTMLInputElement>('until').value) : null,
    region: regionOf($<HTMLSelectElement>('region').value),
  };
}

function make(e: Event): void {
  e.preventDefault();
  const d = formDraft();
  const problems = draftProblems(d);
  list($('problems'), problems.map(problemText));
  const canvas = $<HTMLCanvasElement>('poster');
  if (problems.length) return;
  const paper = $<HTMLSelectElement>('paper').value as Paper;
  const link = venueLinkOf(d, seed(), linkHost);
  posterCanvas(link, d, paper, canvas);
  canvas.hidden = false;
  canvas.toBlob((b) => b && setDownload($<HTMLAnchorElement>('download-png'), b), 'image/png');
  const pdf = new jsPDF({ unit: 'mm', format: paper.toLowerCase(), orientation: 'portrait' });
  addPage(pdf, canvas, paper, true);
  setDownload($<HTMLAnchorElement>('download-pdf'), pdf.output('blob'));
}

/** UTF-8 when it is valid UTF-8, else GBK (what Excel saves on Chinese Windows). */
function decodeCsv(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function rowDraft(r: Record<string, string>): { draft: VenueDraft; problems: string[] } {
  const problems: string[] = [];
  const t = (r.type ?? '').trim().toLowerCase();
  const byName = VENUE_TYPES.indexOf(t as (typeof VENUE_TYPES)[number]);
  const venueType = byName >= 0 ? byName : /^\d+$/.test(t) ? Number(t) : -1;
  const s = (r.staff ?? '').trim().toLowerCase();
  const staff = ['yes', 'true', '1', '是'].includes(s);
  if (s && !staff && !['no', 'false', '0', '否'].includes(s)) problems.push(`staff=${r.staff}: yes/no`);
  const from = minutesOf(r.from ?? '');
  const until = minutesOf(r.until ?? '');
  const event = Boolean((r.from ?? '').trim() || (r.until ?? '').trim());
  const m = (r.minutes ?? '').trim();
  const draft: VenueDraft = {
    name: r.desc ?? '',
    venueType,
    minutes: m ? Number(m) : staff ? 480 : 60,
    staff,
    event,
    fromMin: from,
    untilMin: until,
    region: regionOf(r.region ?? ''),
  };
  return { draft, problems: [...problems, ...draftProblems(draft).map(problemText)] };
}

async function readCsv(): Promise<void> {
  const input = $<HTMLInputElement>('csv');
  const report = $('csv-report');
  const a = $<HTMLAnchorElement>('download-csv-pdf');
  a.hidden = true;
  const file = input.files?.[0];
  if (!file) return;
  if (file.size > MAX_CSV_BYTES) return list(report, [`文件超过 1 MB · The file is larger than 1 MB.`]);
  let rows: Record<string, string>[];
  try {
    rows = parse(decodeCsv(await file.arrayBuffer()), { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    return list(report, [`无法读取 CSV · Cannot read the CSV: ${(e as Error).message}`]);
  }
  if (rows.length === 0) return list(report, ['没有数据行 · No rows.']);
  if (rows.length > MAX_CSV_ROWS) return list(report, [`最多 ${MAX_CSV_ROWS} 行 · At most ${MAX_CSV_ROWS} rows.`]);
  const checked = rows.map(rowDraft);
  const bad = checked.flatMap((c, k) => c.problems.map((p) => `第 ${k + 2} 行 · row ${k + 2}: ${p}`));
  if (bad.length) return list(report, bad);
  const paper = $<HTMLSelectElement>('paper').value as Paper;
  const pdf = new jsPDF({ unit: 'mm', format: paper.toLowerCase(), orientation: 'portrait' });
  const canvas = document.createElement('canvas');
  checked.forEach((c, k) => {
    posterCanvas(venueLinkOf(c.draft, seed(), linkHost), c.draft, paper, canvas);
    addPage(pdf, canvas, paper, k === 0);
  });
  setDownload(a, pdf.output('blob'));
  list(report, [`${rows.length} 张海报 · ${rows.length} posters: ${checked.map((c) => c.draft.name.trim()).join(', ')}`]);
}

$('name').addEventListener('input', showBytes);
$('event').addEventListener('change', () => ($('event-times').hidden = !$<HTMLInputElement>('event').checked));
$('staff').addEventListener('change', () => {
  const m = $<HTMLInputElement>('minutes');
  if ($<HTMLInputElement>('staff').checked && m.value === '60') m.value = '480';
});
$('venue').addEventListener('submit', make);
$('csv').addEventListener('change', () => void readCsv());
showBytes();
