// The simulated phones live in testkit/ (outside tests/) because the demo (npm run demo) drives them too.
export * from '../../testkit/phones';
