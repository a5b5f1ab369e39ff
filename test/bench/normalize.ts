/** `normalizePhoneNumber` throughput on a mixed list of notations. */
import { normalizePhoneNumber } from '../../src/index.js';
import { round } from './stats.js';

const NOTATIONS: Array<[string, string | undefined]> = [
  ['+41 79 123 45 67', undefined],
  ['0041791234567', undefined],
  ['tel:+41-79-123-45-67', undefined],
  ['(079) 123 45 67', 'CH'],
  ['+1 (213) 373-4253', undefined],
  ['(213) 373-4253', 'US'],
  ['+86 188 0000 8888', undefined],
  ['+49 1512 3456789', undefined],
  ['07911 123456', 'GB'],
  ['+33 6 12 34 56 78', undefined],
  ['+81 90-1234-5678', undefined],
  ['+41.79.123.45.67', undefined],
];

/** Normalizes the list over and over for at least `minMs`. */
export function normalizationThroughput(minMs: number) {
  const list = NOTATIONS.map(([input, defaultCountry]) => ({
    input,
    options: defaultCountry ? { defaultCountry } : {},
  }));
  for (const { input, options } of list) normalizePhoneNumber(input, options); // all valid, and warm
  let count = 0;
  let sink = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let r = 0; r < 50; r += 1) {
      for (const { input, options } of list) sink += normalizePhoneNumber(input, options).e164.length;
    }
    count += 50 * list.length;
    elapsed = performance.now() - started;
  }
  if (sink === 0) throw new Error('unreachable');
  return {
    notations: NOTATIONS.map(([input, country]) => (country ? `${input} (${country})` : input)),
    numbers: count,
    durationMs: round(elapsed, 1),
    numbersPerSecond: Math.round((count / elapsed) * 1000),
    usPerNumber: round((elapsed * 1000) / count, 2),
  };
}
