import type { Capabilities } from '../../src/index.js';

/**
 * Every field of `Capabilities`, in the README table's column order. The `satisfies` makes a
 * field added to (or dropped from) the type fail to compile here until this list follows.
 */
const FIELDS = {
  scope: true,
  change: true,
  codeVerification: true,
  assertVerified: true,
  returnCode: true,
  resend: true,
  get: true,
  remove: true,
  primary: true,
  removeNeedsCode: true,
  secondFactor: true,
  multipleNumbers: true,
} satisfies Record<keyof Capabilities, true>;

/** Every key of `Capabilities`, in the README's order. */
export const CAPABILITY_KEYS = Object.keys(FIELDS) as ReadonlyArray<keyof Capabilities>;

/** The boolean capabilities: every key but `scope` and `change`, in the README's order. */
export const CAPABILITY_FLAGS: ReadonlyArray<Exclude<keyof Capabilities, 'scope' | 'change'>> =
  CAPABILITY_KEYS.filter(
    (key): key is Exclude<keyof Capabilities, 'scope' | 'change'> => key !== 'scope' && key !== 'change',
  );
