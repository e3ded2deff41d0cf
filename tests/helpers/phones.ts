// The simulated phones live in tools/testkit because the demo (npm run demo) drives them too.
export * from '../../tools/testkit/phones';
