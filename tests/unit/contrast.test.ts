/**
 * WCAG 2.1 AA on the stylesheet the build ships (dist/weapp/app.wxss is made from
 * miniprogram/app.css; this reads the source with postcss): every text colour against every
 * background it is drawn on, in the light theme and the dark one, at least 4.5:1 (the formula of
 * WCAG 2.1 §1.4.3, relative luminance of sRGB). Text sizes in rem, so they follow WeChat's font
 * setting (ui/frame.tsx sets the root size to "system").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postcss, { type Rule } from 'postcss';

const css = postcss.parse(readFileSync(join(__dirname, '../../miniprogram/app.css'), 'utf8'));

/** `selector → { color, background }` for one theme: the light rules, with the dark media query's on top. */
function theme(dark: boolean): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const take = (rule: Rule) => {
    const decls: Record<string, string> = { ...(out.get(rule.selector) ?? {}) };
    rule.walkDecls((d) => {
      if (d.prop === 'color' || d.prop === 'background') decls[d.prop] = d.value;
    });
    out.set(rule.selector, decls);
  };
  css.each((node) => {
    if (node.type === 'rule') take(node);
  });
  if (dark)
    css.walkAtRules('media', (at) => {
      if (at.params.includes('prefers-color-scheme: dark')) at.walkRules(take);
    });
  return out;
}

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((k) => {
    const c = parseInt(m[1].slice(k, k + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

test('the WCAG formula, on pairs whose ratio is published', () => {
  expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2); // the classic "just fails AA" grey
  expect(contrast('#ffffff', '#ffffff')).toBe(1);
});

/** Where each text style is drawn: inside cards and on the page; status colours carry their own text colour. */
const TEXT_ON = {
  muted: ['card', 'page'],
  hint: ['page'],
  error: ['card', 'page'],
  info: ['card', 'page'],
  link: ['card'],
  reason: ['card'],
};

describe.each([
  ['light', false],
  ['dark', true],
])('%s theme', (_name, dark) => {
  const t = theme(dark);
  const bg = (sel: string) => t.get(sel)?.background;
  const fg = (sel: string) => t.get(sel)?.color;
  const pairs: [string, string, string][] = [];
  for (const [text, places] of Object.entries(TEXT_ON)) {
    for (const place of places) {
      const background = place === 'page' ? bg('page')! : bg('.card')!;
      const color = fg(`.${text}`) ?? (place === 'page' ? fg('page')! : fg('.card')!);
      pairs.push([`.${text} on ${place}`, color, background]);
    }
  }
  for (const sel of [
    '.card',
    '.primary',
    '.status-green',
    '.status-yellow',
    '.status-red',
    '.day',
    '.day-out',
    '.invalid',
    '.verdict-card',
    '.live',
  ])
    pairs.push([sel, fg(sel)!, bg(sel)!]);
  pairs.push(['page', fg('page')!, bg('page')!]);

  test.each(pairs)('%s: %s on %s is at least 4.5:1', (_what, color, background) => {
    expect(contrast(color, background)).toBeGreaterThanOrEqual(4.5);
  });
});

test('the contrast table (printed for the note)', () => {
  const rows: string[] = [];
  for (const [name, dark] of [
    ['light', false],
    ['dark', true],
  ] as const) {
    const t = theme(dark);
    for (const sel of ['.status-green', '.status-yellow', '.status-red', '.muted', '.error', '.info', '.invalid']) {
      const color = t.get(sel)?.color ?? '';
      const background = t.get(sel)?.background ?? t.get('.card')!.background;
      rows.push(`${name} ${sel}: ${color} on ${background} = ${contrast(color, background).toFixed(2)}:1`);
    }
  }
  process.stderr.write(`contrast.test:\n${rows.join('\n')}\n`);
  expect(rows).toHaveLength(14);
});

test('every font size is in rem (follows WeChat’s font setting), and every page starts with page-meta set to "system"', () => {
  const sizes: string[] = [];
  css.walkDecls('font-size', (d) => {
    sizes.push(d.value);
  });
  expect(sizes.length).toBeGreaterThan(5);
  for (const s of sizes) expect(s).toMatch(/^[\d.]+rem$/);
  const frame = readFileSync(join(__dirname, '../../miniprogram/ui/frame.tsx'), 'utf8');
  expect(frame).toMatch(/<PageMeta rootFontSize='system' pageFontSize='system' \/>/);
  for (const page of ['home', 'report', 'exposure', 'settings', 'checkin', 'gate', 'history', 'move']) {
    expect(readFileSync(join(__dirname, `../../miniprogram/pages/${page}/index.tsx`), 'utf8')).toMatch(/<Frame device=\{device\} page='/);
    expect(readFileSync(join(__dirname, `../../miniprogram/pages/${page}/index.config.ts`), 'utf8')).toMatch(/enablePageMeta: true/);
  }
});
