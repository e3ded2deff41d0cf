// The simulated phones live in tools/ because the demo (npm run demo) drives them too.
export * from '../../tools/sim-phones';
