/** The fake-upload benchmark's classifier, on cases worked out by hand. */
import { bestThresholdAccuracy } from '../../bench/fakes';

const obs = (fakes: number[], reals: number[]) => [...fakes.map((ms) => ({ fake: true, ms })), ...reals.map((ms) => ({ fake: false, ms }))];

test('separable times are told apart every time, either way round', () => {
  expect(bestThresholdAccuracy(obs([1, 2], [3, 4]))).toBe(1);
  expect(bestThresholdAccuracy(obs([3, 4], [1, 2]))).toBe(1);
});

test('interleaved times: the best cut gets 3 of 4 (fake if ≤ 1: fake 1 right, reals 2 and 4 right, fake 3 wrong)', () => {
  expect(bestThresholdAccuracy(obs([1, 3], [2, 4]))).toBe(0.75);
});

test('equal times cannot be split: all equal gives the majority share', () => {
  expect(bestThresholdAccuracy(obs([5, 5, 5], [5]))).toBe(0.75);
  expect(bestThresholdAccuracy(obs([5, 5], [5, 5]))).toBe(0.5);
});
