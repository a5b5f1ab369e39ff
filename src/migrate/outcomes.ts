/** The outcomes of a migrated user, once: the order reports and progress lines list them in. */
import type { MigrationOutcome } from './types.js';

/** Every {@link MigrationOutcome}, in the order reports list them. */
export const OUTCOMES = [
  'migrated',
  'already-there',
  'no-phone',
  'unverified-at-source',
  'needs-reverification',
  'conflict',
  'failed',
] as const satisfies readonly MigrationOutcome[];

// A new outcome in the type fails the type check here until it is listed above.
const complete: [Exclude<MigrationOutcome, (typeof OUTCOMES)[number]>] extends [never] ? true : never = true;
void complete;

/** `true` when `value` is an outcome (a journal line read back). */
export function isOutcome(value: unknown): value is MigrationOutcome {
  return (OUTCOMES as readonly unknown[]).includes(value);
}

/** Every outcome at 0, in the order reports list them. */
export function noOutcomes(): Record<MigrationOutcome, number> {
  return Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<MigrationOutcome, number>;
}
