import { isPhoneBindingError, type PhoneBindingError } from '../../src/index.js';

/** Awaits a promise that must reject with a PhoneBindingError (a TypeError or a resolution fails the test). */
export async function rejection(promise: Promise<unknown>): Promise<PhoneBindingError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    if (!isPhoneBindingError(error)) {
      throw new Error(`expected a PhoneBindingError, got ${String(error)}`, { cause: error });
    }
    return error;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(outcome)}`);
}

/** Calls `call`, which must throw a PhoneBindingError synchronously (a return or another error fails the test). */
export function thrown(call: () => unknown): PhoneBindingError {
  let outcome: unknown;
  try {
    outcome = call();
  } catch (error) {
    if (!isPhoneBindingError(error)) {
      throw new Error(`expected a PhoneBindingError, got ${String(error)}`, { cause: error });
    }
    return error;
  }
  throw new Error(`expected a throw, got ${String(outcome)}`);
}
