/**
 * Every repository path that README.md and docs/*.md name in inline code exists, so a moved or
 * deleted file fails the build instead of leaving the documentation pointing nowhere.
 *
 * A path counts when it starts with a top-level folder of the repository (`shared/…`, `tests/…`);
 * paths relative to a folder named nearby (`host/types.ts` in the row of `miniprogram/host/`),
 * build outputs (`dist/`, `data/`) and templates (`<n>.bin`, `…`) are not checked. `*` matches within
 * one path segment, and must match something; a path ending in `/` must be a folder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
/** Generated or local, never in git: named in the docs as outputs. */
const NOT_IN_GIT = new Set(['dist', 'data', 'node_modules']);

function topFolders(root: string): Set<string> {
  return new Set(
    readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_IN_GIT.has(e.name))
      .map((e) => e.name),
  );
}

/** Inline code spans outside fenced blocks, with their line numbers. */
function inlineCode(markdown: string): { code: string; line: number }[] {
  const spans: { code: string; line: number }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, k) => {
    if (/^\s*```/.test(text)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    for (const m of text.matchAll(/`([^`]+)`/g)) spans.push({ code: m[1], line: k + 1 });
  });
  return spans;
}

/** Does a path (maybe with `*` in a segment) name something in the tree under `root`? */
function exists(root: string, path: string): boolean {
  const wantDir = path.endsWith('/');
  const segments = path.replace(/\/+$/, '').split('/');
  let candidates = [root];
  for (const seg of segments) {
    const next: string[] = [];
    for (const dir of candidates) {
      if (!seg.includes('*')) {
        if (existsSync(join(dir, seg))) next.push(join(dir, seg));
        continue;
      }
      if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
      const re = new RegExp(
        `^${seg
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*')}$`,
      );
      for (const name of readdirSync(dir)) if (re.test(name)) next.push(join(dir, name));
    }
    candidates = next;
  }
  return candidates.some((p) => !wantDir || statSync(p).isDirectory());
}

/** The repository paths named in a markdown text that do not exist under `root`. */
function missingPaths(markdown: string, root: string, folders: Set<string>): { path: string; line: number }[] {
  const missing: { path: string; line: number }[] = [];
  for (const { code, line } of inlineCode(markdown)) {
    for (const token of code.split(/\s+/)) {
      const path = token.replace(/^[('"]+|[)'",;:.]+$/g, '');
      const first = path.split('/')[0];
      if (!path.includes('/') || !folders.has(first)) continue;
      if (/[<>…{}]/.test(path)) continue;
      if (!exists(root, path)) missing.push({ path, line });
    }
  }
  return missing;
}

const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

test('every repository path that README.md and docs/*.md name exists', () => {
  const folders = topFolders(ROOT);
  const missing = DOCS.flatMap((doc) =>
    missingPaths(readFileSync(join(ROOT, doc), 'utf8'), ROOT, folders).map((m) => `${doc}:${m.line} ${m.path}`),
  );
  expect(missing).toEqual([]);
});

test('the check finds what is missing, and only that', () => {
  const folders = topFolders(ROOT);
  const text = [
    'See `shared/protocol/crypto.ts`, `shared/protocol/`, `tests/unit/*.test.ts` and `npx jest tests/unit/vectors.test.ts`.',
    'Gone: `shared/crypto.ts`, `shared/protocol/crypto.ts/` (not a folder), `tests/unit/*.nothing`, `(docs/none.md)`.',
    'Not checked: `host/types.ts`, `dist/weapp/`, `<n>.bin`, `shared/<name>.ts`, `DATA_DIR/head.json`.',
    '```sh',
    'cat shared/fenced-is-not-checked.ts',
    '```',
  ].join('\n');
  expect(missingPaths(text, ROOT, folders)).toEqual([
    { path: 'shared/crypto.ts', line: 2 },
    { path: 'shared/protocol/crypto.ts/', line: 2 },
    { path: 'tests/unit/*.nothing', line: 2 },
    { path: 'docs/none.md', line: 2 },
  ]);
  // the documents name paths at all (a reader that found none would pass anything)
  const named = DOCS.flatMap((doc) => inlineCode(readFileSync(join(ROOT, doc), 'utf8'))).filter((s) =>
    /^(shared|tests|miniprogram)\//.test(s.code),
  );
  expect(named.length).toBeGreaterThan(30);
});
