/**
 * The users of a run, pulled one at a time by any number of workers: never read ahead, never
 * held whole in memory.
 */
import { PhoneBindingError } from '../errors.js';
import type { MigrationUser } from './types.js';

/** A source of users that answers one `{ from, to }` per call, then `undefined`; calls are served in order. */
export function userPuller(
  users: AsyncIterable<MigrationUser> | Iterable<MigrationUser>,
): () => Promise<{ from: string; to: string } | undefined> {
  const iterator: AsyncIterator<MigrationUser> | Iterator<MigrationUser> =
    Symbol.asyncIterator in users ? users[Symbol.asyncIterator]() : users[Symbol.iterator]();
  let position = 0;
  let ended = false;
  let queue: Promise<unknown> = Promise.resolve();
  const pull = async () => {
    if (ended) return undefined;
    const step = await iterator.next();
    if (step.done) {
      ended = true;
      return undefined;
    }
    position += 1;
    return userOf(step.value, position);
  };
  return () => {
    // One pull at a time: async iterators (generators) must not be asked again before they answer.
    const next = queue.then(pull);
    queue = next.catch(() => undefined);
    return next;
  };
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

function userOf(value: unknown, position: number): { from: string; to: string } {
  if (isId(value)) return { from: value, to: value };
  const pair = value as { from?: unknown; to?: unknown } | null;
  if (pair !== null && typeof pair === 'object' && isId(pair.from) && isId(pair.to)) {
    return { from: pair.from, to: pair.to };
  }
  throw new PhoneBindingError({
    code: 'invalid_input',
    message: `users: item ${position} must be a non-empty id or { from, to } with non-empty ids`,
  });
}
