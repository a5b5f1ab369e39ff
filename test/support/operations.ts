import type { Operation, PhoneBinding, VerificationTicket } from '../../src/index.js';

/** What a test calls each operation with. */
export interface OperationInputs {
  /** The user input of bind, get and remove (`{}` for a token-scoped adapter). */
  user: { userId?: string };
  phoneNumber: string;
  /** Further bind input, e.g. `{ verified: true }`. */
  bind?: { verified?: boolean };
  /** A fresh ticket for verify and resend. */
  ticket: () => VerificationTicket;
  code: string;
}

/** Calls `op` on `binding` with the inputs a test names. */
export function callOperation(
  binding: PhoneBinding,
  op: Operation,
  inputs: OperationInputs,
): Promise<unknown> {
  switch (op) {
    case 'bind':
      return binding.bind({ ...inputs.user, phoneNumber: inputs.phoneNumber, ...inputs.bind });
    case 'verify':
      return binding.verify({ ticket: inputs.ticket(), code: inputs.code });
    case 'resend':
      return binding.resend({ ticket: inputs.ticket() });
    case 'get':
      return binding.get(inputs.user);
    case 'remove':
      return binding.remove(inputs.user);
  }
}
