// Unit and integration tests run on Node; simulator tests load the real weapp build in jsdom.
// Projects by what they need (each has its npm script, which builds that first; `npm test` builds all):
//   unit       nothing built (npm run test:unit)
//   built      the built output itself: dist/weapp, dist/alipay (npm run test:built)
//   server     dist/cloud-functions for the cloud-function suites, MariaDB for the MySQL half (npm run test:server)
//   device     dist/cloud-functions for the cloud back end (npm run test:device)
//   browser    dist/venue, dist/h5 and dist/playground, Debian's chromium (npm run test:browser)
//   simulator  dist/weapp, dist/weapp-plugin (npm run test:simulator)
// @noble/* v2, fast-png and iobuffer ship ESM only: babel-jest transforms them (see transformIgnorePatterns).
const common = {
  transform: { '^.+\\.[jt]sx?$': 'babel-jest' },
  // The built cloud functions are self-contained CommonJS bundles (3 MB each): loaded as they are.
  transformIgnorePatterns: ['/node_modules/(?!(@noble|fast-png|iobuffer)/)', '<rootDir>/dist/'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
};
module.exports = {
  testTimeout: 30000,
  // Two suites at a time, also on a 2-core machine (jest's default there is one): most of the slow
  // suites wait on child processes, databases, nginx or chromium rather than on the CPU, and the
  // suite took 14 minutes one at a time.
  maxWorkers: 2,
  globalSetup: '<rootDir>/tests/global-setup.js',
  projects: [
    { ...common, displayName: 'unit', testEnvironment: 'node', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...common, displayName: 'built', testEnvironment: 'node', testMatch: ['<rootDir>/tests/built/**/*.test.ts'] },
    { ...common, displayName: 'server', testEnvironment: 'node', testMatch: ['<rootDir>/tests/server/**/*.test.ts'] },
    { ...common, displayName: 'device', testEnvironment: 'node', testMatch: ['<rootDir>/tests/device/**/*.test.ts'] },
    { ...common, displayName: 'browser', testEnvironment: 'node', testMatch: ['<rootDir>/tests/browser/**/*.test.ts'] },
    {
      ...common,
      displayName: 'simulator',
      testEnvironment: '<rootDir>/tests/simulator-env.js',
      testMatch: ['<rootDir>/tests/simulator/**/*.test.ts'],
    },
  ],
};
