// ESLint (flat config): the usual correctness rules for TypeScript, and the boundaries of the house
// (README, "Where things live") as rules that fail the build. A rule that blocks a change is a
// design question, not something to silence.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const NODE_BUILTINS = { group: ['node:*'], message: 'this code runs inside a super-app: no Node built-ins.' };

/** `import-x/no-restricted-paths` zones: what may not import what (paths from the repository root). */
const zones = [
  // shared/ is platform-free and sits below everything
  ...['server', 'miniprogram', 'cloud-functions', 'tools', 'bench', 'tests'].map((from) => ({
    target: './shared',
    from: `./${from}`,
    message: 'shared/ sits below every other folder and imports none of them.',
  })),
  // the key server never depends on the phone, the tools or its own adapters
  ...['miniprogram', 'tools', 'cloud-functions', 'bench', 'tests'].map((from) => ({
    target: './server',
    from: `./${from}`,
    message: 'server/ is product code: it does not import the mini-program, tools, cloud functions or tests.',
  })),
  // the mini-program never contains server code
  ...['server', 'tools', 'cloud-functions', 'bench', 'tests'].map((from) => ({
    target: './miniprogram',
    from: `./${from}`,
    message: 'the mini-program ships to phones: it does not import server code, tools or tests.',
  })),
  ...['miniprogram', 'tools', 'bench', 'tests'].map((from) => ({
    target: './cloud-functions',
    from: `./${from}`,
    message: 'cloud functions are adapters over server/ only.',
  })),
  // deploy/ is operator tooling over server/ (nginx, the cluster): nothing that ships depends on it
  ...['./shared', './server', './miniprogram', './cloud-functions', './plugin'].map((target) => ({
    target,
    from: './deploy',
    message: 'deploy/ is operator tooling (nginx, the cluster): product code never imports it.',
  })),
  // bundling happens at build time (tools/build.ts): no product code bundles or compiles at run time
  ...['./shared', './server', './miniprogram', './cloud-functions', './plugin'].flatMap((target) =>
    ['./node_modules/esbuild', './node_modules/tsx'].map((from) => ({
      target,
      from,
      message: 'esbuild and tsx are build tools: bundle at build time (tools/build.ts), never while serving.',
    })),
  ),
  // every simulated thing (the handset, the world, the phones) lives in testkit/, for tests, tools
  // and the bench; what ships never depends on it
  ...['./miniprogram', './plugin', './server', './shared', './cloud-functions'].map((target) => ({
    target,
    from: './testkit',
    message: 'product code never imports testkit/: simulated things are for tests, tools and the bench.',
  })),
  // testkit/ runs the real mini-program (its WeChat host over a simulated wx) and shared/, nothing else
  ...['server', 'cloud-functions', 'plugin', 'deploy', 'tools', 'bench', 'tests'].map((from) => ({
    target: './testkit',
    from: `./${from}`,
    message: 'testkit/ simulates the phone and its world: it may use the mini-program and shared/, nothing else.',
  })),
  // the playground's browser side (bundled for the browser by tools/build/bundles.ts) takes the
  // handset's browser parts: never the Node worker thread, the server or the playground's own server side
  ...[
    './testkit/node-worker.ts',
    './server',
    './tools/playground/server.ts',
    './tools/playground/run.ts',
    './tools/playground/main.ts',
  ].map((from) => ({
    target: './tools/playground/browser',
    from,
    message:
      'tools/playground/browser/ runs in a browser: no Node-only code (a Web Worker, not testkit/node-worker.ts; the server is reached over HTTP).',
  })),
  // pages read the view model and call its actions; they never reach a host or a service
  {
    target: './miniprogram/pages',
    from: './miniprogram/host',
    message: 'pages never call host APIs: ask the device (miniprogram/device) for it.',
  },
  {
    target: './miniprogram/pages',
    from: './miniprogram/services',
    message: 'pages never call a service: the device composes services and offers actions.',
  },
  {
    target: './miniprogram/pages',
    from: './shared',
    message: 'pages read the view model (miniprogram/device) and UI helpers (miniprogram/ui, miniprogram/i18n).',
  },
  // services and the device see the host only through its interface; the platform is chosen by ui/store.ts
  ...['./miniprogram/services', './miniprogram/device'].flatMap((target) => [
    {
      target,
      from: './miniprogram/host/wechat',
      message: 'services use the host interface (host/types.ts), never a platform implementation.',
    },
    {
      target,
      from: './miniprogram/host/index.ts',
      message: 'the host is chosen once, by the app (ui/store.ts), and handed to createDevice.',
    },
    { target, from: './miniprogram/ui', message: 'services and the device sit below the UI.' },
    { target, from: './miniprogram/pages', message: 'services and the device sit below the pages.' },
  ]),
  { target: './miniprogram/services', from: './miniprogram/device', message: 'the device composes the services, not the other way round.' },
  // matching (matcher, engines, batch matching, the worker's messages) sits below the services that use it
  {
    target: './miniprogram/matching',
    from: './miniprogram',
    except: ['./matching', './host/types.ts', './host/errors.ts'],
    message:
      "matching/ uses shared/ and the host's interface (host/types.ts, host/errors.ts) only: the services use it, not the other way round.",
  },
  // the worker is an entry point: it wires WeChat's worker globals to matching/
  {
    target: './miniprogram/worker',
    from: './miniprogram',
    except: ['./matching'],
    message: 'the matching worker is an entry point only: it imports matching/ and shared/, its logic lives in matching/.',
  },
  {
    target: './miniprogram/pages',
    from: './miniprogram/matching',
    message: 'pages never call a service: the device composes services and offers actions.',
  },
  { target: './miniprogram/host', from: './miniprogram/matching', message: 'a host knows nothing of the matching above it.' },
  { target: './miniprogram/host', from: './miniprogram/services', message: 'a host knows nothing of the services above it.' },
  { target: './miniprogram/host', from: './miniprogram/device', message: 'a host knows nothing of the device above it.' },
  // server domains: services over repositories; routes and cloud functions over services
  { target: './server/domains', from: './server/http', message: 'domains know nothing of HTTP.' },
  { target: './server/domains', from: './server/runtime.ts', message: 'the runtime composes the domains, not the other way round.' },
  {
    target: './server/http',
    from: './server/db',
    except: ['./errors.ts'],
    message: 'the HTTP edge talks to services; only db/errors.ts (driver errors → codes) is its business.',
  },
  { target: './cloud-functions', from: './server/db', message: 'cloud functions talk to services through server/http/edge.ts.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'shared/protocol/_aes-batch.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] })],
      // parse the imported files too, so no-cycle can follow them
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            NODE_BUILTINS,
            {
              group: ['@tarojs/*', 'react', 'react-dom', 'typeorm', 'koa', '@koa/*'],
              message: 'shared/ imports nothing but @noble/*: it runs on the phone and the server alike.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'wx', message: 'shared/ knows no host.' },
        { name: 'Buffer', message: 'shared/ runs on phones: use Uint8Array.' },
      ],
    },
  },
  {
    files: ['miniprogram/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NODE_BUILTINS] }] },
  },
  {
    files: ['tools/playground/browser/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ ...NODE_BUILTINS, message: 'the playground page runs in a browser: no Node built-ins.' }] },
      ],
    },
  },
  {
    files: ['miniprogram/pages/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [NODE_BUILTINS],
          paths: [{ name: '@tarojs/taro', message: 'pages never call host APIs; lifecycle hooks come from ui/lifecycle.ts.' }],
        },
      ],
    },
  },
  {
    // a domain's service, and the services a larger domain splits into (server/domains/portal/services/)
    files: ['server/domains/**/service.ts', 'server/domains/**/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'typeorm', message: 'transactions and queries live in the repository, never in a service.' }],
          patterns: [{ group: ['**/db/*'], message: "a service asks its repository; the database layer is the repository's business." }],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // the portal's one browser script: a browser's globals, nothing of Node's
    files: ['server/http/portal/static/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        document: 'readonly',
        window: 'readonly',
        setTimeout: 'readonly',
        require: 'off',
        module: 'off',
        process: 'off',
        __dirname: 'off',
      },
    },
  },
  {
    // the H5 build's renderer shims run in the browser, before the app (miniprogram/index.html)
    files: ['miniprogram/h5-renderer.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', MutationObserver: 'readonly', require: 'off', module: 'off' },
    },
  },
  {
    // the /venue page's script runs in the browser
    files: ['server/http/venue/client/**'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', location: 'readonly', crypto: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
