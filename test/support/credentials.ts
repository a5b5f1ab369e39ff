import { vi } from 'vitest';

/** A credential function that fails as a vault that is down would: a spy that throws `message`. */
export function failingCredential(message = 'refresh failed') {
  return vi.fn(async (): Promise<string> => {
    throw new Error(message);
  });
}
