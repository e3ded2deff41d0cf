/**
 * The house's boundaries are rules the linter holds (eslint.config.mjs): this runs the project's own
 * ESLint on probe files that break each one, placed where a careless change would put them, and
 * expects the build-failing error; and on the real tree, which must be clean.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '../..');
const ESLINT = join(ROOT, 'node_modules/.bin/eslint');

interface Finding {
  file: string;
  rule: string | null;
  message: string;
}

/** Writes the probe files, lints them with the project's config, removes them. */
function lint(files: Record<string, string>): Finding[] {
  const paths = Object.keys(files);
  try {
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(ROOT, p)), { recursive: true });
      writeFileSync(join(ROOT, p), text);
    }
    const r = spawnSync(ESLINT, ['--format', 'json', '--no-warn-ignored', ...paths], { cwd: ROOT, encoding: 'utf8' });
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[];
    return results.flatMap((x) => x.messages.map((m) => ({ file: x.filePath.slice(ROOT.length + 1), rule: m.ruleId, message: m.message })));
  } finally {
    for (const p of paths) rmSync(join(ROOT, p), { force: true });
  }
}

test("a page that imports the host, a service or Taro's API module is rejected", () => {
  const found = lint({
    'miniprogram/pages/home/zz-probe.tsx': [
      "import { createHost } from '../../host';",
      "import { KeyStore } from '../../services/keystore';",
      "import Taro from '@tarojs/taro';",
      'export const probe = [createHost, KeyStore, Taro];',
    ].join('\n'),
  });
  expect(found).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ rule: 'import-x/no-restricted-paths', message: expect.stringContaining('pages never call host APIs') }),
      expect.objectContaining({ rule: 'import-x/no-restricted-paths', message: expect.stringContaining('pages never call a service') }),
      expect.objectContaining({ rule: 'no-restricted-imports', message: expect.stringContaining("'@tarojs/taro'") }),
    ]),
  );
});

test('a shared/ file that imports node:fs or Taro is rejected', () => {
  const found = lint({
    'shared/protocol/zz-probe.ts':
      "import { readFileSync } from 'node:fs';\nimport Taro from '@tarojs/taro';\nexport const probe = [readFileSync, Taro];\n",
  });
  expect(found.map((f) => f.rule)).toEqual(['no-restricted-imports', 'no-restricted-imports']);
  expect(found[0].message).toMatch(/no Node built-ins/);
});

test('a server file that imports the mini-program or tools is rejected', () => {
  const found = lint({
    'server/zz-probe.ts':
      "import { t } from '../miniprogram/i18n';\nimport { venueRows } from '../tools/csv';\nexport const probe = [t, venueRows];\n",
  });
  expect(found).toHaveLength(2);
  expect(found.every((f) => f.rule === 'import-x/no-restricted-paths' && /server\/ is product code/.test(f.message))).toBe(true);
});

test('product code that imports the testkit is rejected, wherever it sits', () => {
  const probe = (up: string) => `import { SimWorld } from '${up}testkit/world';\nexport const probe = [SimWorld];\n`;
  const files = {
    'miniprogram/services/zz-probe.ts': probe('../../'),
    'miniprogram/host/zz-probe.ts': probe('../../'),
    'plugin/zz-probe.ts': probe('../'),
    'server/domains/zz-probe.ts': probe('../../'),
    'shared/protocol/zz-probe.ts': probe('../../'),
    'cloud-functions/zz-probe.ts': probe('../'),
  };
  const found = lint(files).filter((f) => /product code never imports testkit/.test(f.message));
  expect(found.map((f) => [f.file, f.rule]).sort()).toEqual(
    Object.keys(files)
      .map((f) => [f, 'import-x/no-restricted-paths'])
      .sort(),
  );
});

test('the testkit uses the mini-program and shared/, but no server, tool or test', () => {
  const found = lint({
    'testkit/zz-probe.ts': [
      "import { createDevice } from '../miniprogram/device';",
      "import { toHex } from '../shared/protocol/codec';",
      "import { startServer } from '../server/runtime';",
      "import { venueRows } from '../tools/csv';",
      "import { fetchTransport } from '../tests/helpers/phones';",
      'export const probe = [createDevice, toHex, startServer, venueRows, fetchTransport];',
    ].join('\n'),
  });
  expect(found).toEqual([
    expect.objectContaining({ rule: 'import-x/no-restricted-paths', message: expect.stringContaining('testkit/ simulates the phone') }),
    expect.objectContaining({ rule: 'import-x/no-restricted-paths', message: expect.stringContaining('testkit/ simulates the phone') }),
    expect.objectContaining({ rule: 'import-x/no-restricted-paths', message: expect.stringContaining('testkit/ simulates the phone') }),
  ]);
});

test("matching uses shared/ and the host's interface, nothing above it", () => {
  const found = lint({
    'miniprogram/matching/zz-probe.ts': [
      "import { toHex } from '../../shared/protocol/codec';",
      "import type { Host } from '../host/types';",
      "import { HostError } from '../host/errors';",
      "import { MatchIndex } from './matcher';",
      "import { KeyStore } from '../services/keystore';",
      "import { createDevice } from '../device';",
      "import { createWechatHost } from '../host/wechat/host';",
      "import { statusWord } from '../ui/format';",
      'export const probe = [toHex, HostError, MatchIndex, KeyStore, createDevice, createWechatHost, statusWord] as unknown as Host[];',
    ].join('\n'),
  });
  expect(
    found.every((f) => f.rule === 'import-x/no-restricted-paths' && f.message.includes("matching/ uses shared/ and the host's interface")),
  ).toBe(true);
  expect(found.map((f) => /"([^"]+)"/.exec(f.message)?.[1])).toEqual([
    '../services/keystore',
    '../device',
    '../host/wechat/host',
    '../ui/format',
  ]);
});

test('the worker imports matching/ and shared/ only, and the services may use matching', () => {
  const found = lint({
    'miniprogram/worker/zz-probe.ts': [
      "import { toHex } from '../../shared/protocol/codec';",
      "import { pickEngine } from '../matching/worker-core';",
      "import { KeyStore } from '../services/keystore';",
      "import { HostError } from '../host/errors';",
      'export const probe = [toHex, pickEngine, KeyStore, HostError];',
    ].join('\n'),
    'miniprogram/services/zz-probe.ts': "import { MatchIndex } from '../matching/matcher';\nexport const probe = [MatchIndex];\n",
  });
  expect(found).toEqual([
    expect.objectContaining({ file: 'miniprogram/worker/zz-probe.ts', message: expect.stringContaining('an entry point only') }),
    expect.objectContaining({ file: 'miniprogram/worker/zz-probe.ts', message: expect.stringContaining('an entry point only') }),
  ]);
});

test('a page or a host that imports matching is rejected', () => {
  const found = lint({
    'miniprogram/pages/home/zz-probe.tsx': "import { MatchIndex } from '../../matching/matcher';\nexport const probe = [MatchIndex];\n",
    'miniprogram/host/wechat/zz-probe.ts': "import { MatchIndex } from '../../matching/matcher';\nexport const probe = [MatchIndex];\n",
  });
  expect([...found].sort((a, b) => a.file.localeCompare(b.file))).toEqual([
    expect.objectContaining({
      file: 'miniprogram/host/wechat/zz-probe.ts',
      message: expect.stringContaining('a host knows nothing of the matching'),
    }),
    expect.objectContaining({
      file: 'miniprogram/pages/home/zz-probe.tsx',
      message: expect.stringContaining('pages never call a service'),
    }),
  ]);
});

test('a domain service that reaches for the database is rejected', () => {
  const found = lint({
    'server/domains/uploads/zz-probe/service.ts':
      "import { DataSource } from 'typeorm';\nimport { databaseErrorCode } from '../../../db/errors';\nexport const probe = [DataSource, databaseErrorCode];\n",
  });
  expect(found.map((f) => f.message)).toEqual([
    expect.stringContaining('transactions and queries live in the repository'),
    expect.stringContaining("the database layer is the repository's business"),
  ]);
});

test("a domain's split services (services/*.ts) that reach for the database are rejected too", () => {
  const found = lint({
    'server/domains/portal/services/zz-probe.ts':
      "import { EntityManager } from 'typeorm';\nimport { Person } from '../../../db/schema';\nexport const probe = [EntityManager, Person];\n",
  });
  expect(found.map((f) => f.message)).toEqual([
    expect.stringContaining('transactions and queries live in the repository'),
    expect.stringContaining("the database layer is the repository's business"),
  ]);
});

test('an import cycle is rejected', () => {
  const found = lint({
    'shared/protocol/zz-cycle-a.ts': "import { b } from './zz-cycle-b';\nexport const a = () => b;\n",
    'shared/protocol/zz-cycle-b.ts': "import { a } from './zz-cycle-a';\nexport const b = () => a;\n",
  });
  expect(
    found
      .filter((f) => f.rule === 'import-x/no-cycle')
      .map((f) => f.file)
      .sort(),
  ).toEqual(['shared/protocol/zz-cycle-a.ts', 'shared/protocol/zz-cycle-b.ts']);
});

test('product code that imports deploy/ is rejected; deploy/ may import the server', () => {
  const found = lint({
    'server/zz-probe.ts': "import { startInstance } from '../deploy/cluster';\nexport const probe = [startInstance];\n",
    'shared/protocol/zz-probe.ts': "import { nginxConfig } from '../../deploy/nginx';\nexport const probe = [nginxConfig];\n",
    'deploy/zz-probe.ts': "import { loadConfig } from '../server/config';\nexport const probe = [loadConfig];\n",
  });
  expect(found.map((f) => [f.file, f.rule])).toEqual([
    ['server/zz-probe.ts', 'import-x/no-restricted-paths'],
    ['shared/protocol/zz-probe.ts', 'import-x/no-restricted-paths'],
  ]);
  expect(found.every((f) => /deploy\/ is operator tooling/.test(f.message))).toBe(true);
});

test('product code that bundles or compiles at run time (esbuild, tsx) is rejected; the build may', () => {
  const found = lint({
    'server/http/venue/zz-probe.ts': "import { build } from 'esbuild';\nexport const probe = [build];\n",
    'miniprogram/services/zz-probe.ts': "import { register } from 'tsx/cjs/api';\nexport const probe = [register];\n",
    'tools/build/zz-probe.ts': "import { build } from 'esbuild';\nexport const probe = [build];\n",
  });
  expect(found.map((f) => [f.file, f.rule])).toEqual([
    ['miniprogram/services/zz-probe.ts', 'import-x/no-restricted-paths'],
    ['server/http/venue/zz-probe.ts', 'import-x/no-restricted-paths'],
  ]);
  expect(found.every((f) => /bundle at build time/.test(f.message))).toBe(true);
});

test("the playground's browser side takes no Node: no built-in, no Node worker thread, no server code", () => {
  const found = lint({
    'tools/playground/browser/zz-probe.ts': [
      "import { readFileSync } from 'node:fs';",
      "import { nodeWorker } from '../../../testkit/node-worker';",
      "import { startServer } from '../../../server/runtime';",
      'export const probe = [readFileSync, nodeWorker, startServer];',
    ].join('\n'),
  });
  expect(found).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ rule: 'no-restricted-imports', message: expect.stringContaining('runs in a browser: no Node built-ins') }),
      expect.objectContaining({ rule: 'import-x/no-restricted-paths', message: expect.stringContaining('not testkit/node-worker.ts') }),
    ]),
  );
  expect(found.filter((f) => f.rule === 'import-x/no-restricted-paths')).toHaveLength(2);
  // the handset and the world themselves are fine there
  expect(
    lint({
      'tools/playground/browser/zz-probe.ts':
        "import { SimPhone } from '../../../testkit/handset';\nimport { SimWorld } from '../../../testkit/world';\nexport const probe = [SimPhone, SimWorld];\n",
    }),
  ).toEqual([]);
});
