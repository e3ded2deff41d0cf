// Unit and integration tests run on Node; simulator tests load the real weapp build in jsdom.
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
