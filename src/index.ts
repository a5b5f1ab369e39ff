/**
 * phone-binding: one typed interface to bind a phone number to a user, verify it with an SMS
 * code, read it and remove it, in front of several identity backends.
 * @packageDocumentation
 * @module phone-binding
 */
// The same exports as phone-binding/core (one list, kept there), with the number functions
// bound to the `min` metadata instead of taking it: these named exports win over the star.
export * from './core.js';
export { maskPhoneNumber, normalizePhoneNumber } from './phone.js';
