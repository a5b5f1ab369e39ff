import { isPhoneBindingError, PhoneBindingError } from '../errors.js';
import { normalizePhoneNumber } from '../phone.js';
import type {
  BindInput,
  BoundPhone,
  CallOptions,
  Capabilities,
  GetInput,
  Hooks,
  Operation,
  PendingVerification,
  PhoneBinding,
  PhoneNumber,
  ProviderId,
  RemovedPhone,
  RemoveInput,
  ResendInput,
  VerifyInput,
} from '../types.js';
import type { CallContext } from './http.js';
import { checkCallOptions, checkCode, checkObject, checkUserId, invalidInput } from './input.js';
import type { CheckedCommonOptions } from './options.js';
import { Redactor } from './redact.js';
import { type CheckedTicket, checkTicket, refuseExpired, TicketSigner } from './ticket.js';

/** A bind request after every input check. */
export interface CheckedBind {
  userId: string | undefined;
  phone: PhoneNumber;
  verified: boolean;
  primary: boolean | undefined;
}

/** A verify request after every input check. */
export interface CheckedVerify {
  ticket: CheckedTicket;
  code: string;
}

/** A remove request after every input check. */
export interface CheckedRemove {
  userId: string | undefined;
  phone: PhoneNumber | undefined;
  /** Second step of a removal that needs a code. */
  confirm: { ticket: CheckedTicket; code: string } | undefined;
}

/**
 * What an adapter implements: only backend work. Input checks, `unsupported`, error wrapping and
 * the error hook live in {@link createBinding}, once for every adapter.
 */
export interface AdapterDefinition {
  provider: ProviderId;
  capabilities: Capabilities;
  /** Longest code the backend accepts. */
  codeMaxLength: number;
  /** Backend-specific shape of a user id (ETNA's are integers); throws `invalid_input`. */
  checkUserId?: ((userId: string) => void) | undefined;
  /** The adapter's checked common options: hooks, the operation deadline, the ticket secret. */
  common: Pick<CheckedCommonOptions, 'hooks' | 'deadline' | 'ticketSecret'>;
  bind?(input: CheckedBind, call: CallContext): Promise<PendingVerification | BoundPhone>;
  verify?(input: CheckedVerify, call: CallContext): Promise<BoundPhone>;
  resend?(ticket: CheckedTicket, call: CallContext): Promise<PendingVerification>;
  get?(userId: string | undefined, call: CallContext): Promise<BoundPhone | null>;
  remove?(input: CheckedRemove, call: CallContext): Promise<RemovedPhone | PendingVerification>;
}

/**
 * For backends that hold one number per user: `remove({ phoneNumber })` goes ahead only when the
 * user's current number is that one, so a stale screen never removes a different number.
 */
export function requireCurrentNumber(current: BoundPhone | null, phone: PhoneNumber): void {
  if (current?.phone.e164 !== phone.e164) {
    throw new PhoneBindingError({ code: 'not_found', message: 'The user does not have this phone number.' });
  }
}

/** Default milliseconds for a whole operation (all requests, retries and waits). */
export const DEFAULT_DEADLINE = 30_000;

const CAPABILITY_OF: Record<Exclude<Operation, 'bind'>, keyof Capabilities> = {
  verify: 'codeVerification',
  resend: 'resend',
  get: 'get',
  remove: 'remove',
};

function unsupported(provider: ProviderId, what: string): PhoneBindingError {
  return new PhoneBindingError({ code: 'unsupported', message: `The ${provider} adapter cannot ${what}.` });
}

function checkFlag(value: unknown, field: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalidInput(`${field} must be a boolean.`);
}

/** Stamps provider and operation on an error, turning anything foreign into a typed one. */
function typed(
  error: unknown,
  provider: ProviderId,
  operation: Operation,
  redactor: Redactor,
): PhoneBindingError {
  const out = isPhoneBindingError(error)
    ? error
    : new PhoneBindingError({
        code: 'provider_error',
        message: `Unexpected failure: ${redactor.text(error instanceof Error ? error.message : String(error))}`,
        cause: error,
      });
  const writable = out as {
    provider?: ProviderId;
    operation?: Operation;
    message: string;
    stack?: string;
    providerCode?: string;
    requestId?: string;
    details?: unknown;
  };
  writable.provider ??= provider;
  writable.operation ??= operation;
  // One last masking pass over everything the caller, a log or a hook will see, whichever code
  // built the error: the HTTP layer, an adapter, or the backend's own words in providerCode.
  const message = redactor.text(out.message);
  if (message !== out.message) {
    if (out.stack) writable.stack = out.stack.split(out.message).join(message);
    writable.message = message;
  }
  if (out.providerCode !== undefined) writable.providerCode = redactor.text(out.providerCode);
  if (out.requestId !== undefined) writable.requestId = redactor.text(out.requestId);
  if (out.details !== undefined) writable.details = redactor.deep(out.details);
  return out;
}

/** Builds a {@link PhoneBinding} from an adapter's backend operations. */
export function createBinding(def: AdapterDefinition): PhoneBinding {
  const { provider, capabilities } = def;
  const scope = capabilities.scope;
  const hooks: Hooks | undefined = def.common.hooks;
  const deadlineMs = def.common.deadline ?? DEFAULT_DEADLINE;
  const signer =
    def.common.ticketSecret === undefined ? undefined : new TicketSigner(def.common.ticketSecret);

  /** Signs the ticket of a pending result when the adapter has a ticketSecret. */
  async function signed<T extends PendingVerification | BoundPhone | RemovedPhone | null>(
    result: T,
  ): Promise<T> {
    if (!signer || result === null || result.state !== 'pending') return result;
    return { ...result, ticket: await signer.sign(result.ticket) };
  }

  async function run<T>(
    operation: Operation,
    rawOptions: unknown,
    body: (call: CallContext) => Promise<T>,
  ): Promise<T> {
    const redactor = new Redactor();
    // One deadline for the whole operation: every request, retry and backoff wait inside it.
    // A plain timer (not AbortSignal.timeout) so fake timers in tests drive it too.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), deadlineMs);
    try {
      const options: CallOptions = checkCallOptions(rawOptions);
      return await body({
        operation,
        options,
        redactor,
        deadline: { signal: deadline.signal, ms: deadlineMs },
      });
    } catch (error) {
      const out = typed(error, provider, operation, redactor);
      try {
        hooks?.error?.({ type: 'error', provider, operation, error: out });
      } catch {
        // An observer must never change the error the caller sees.
      }
      throw out;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Checks a ticket that came back from the caller: shape, provider, purpose and scope, then its
   * signature (with a ticketSecret), then — unless it is being replaced by `resend` — its expiry.
   */
  async function ticketFor(
    value: unknown,
    method: Operation,
    purposes: Array<'bind' | 'remove'>,
    expiryMatters: boolean,
  ): Promise<CheckedTicket> {
    const checked = checkTicket(value, { provider, purposes, scope, method });
    if (checked.ticket.userId !== undefined) def.checkUserId?.(checked.ticket.userId);
    if (signer) await signer.check(checked.ticket);
    if (expiryMatters) refuseExpired(checked.ticket);
    return checked;
  }

  function userIdOf(value: unknown): string | undefined {
    const userId = checkUserId(value, scope);
    if (userId !== undefined) def.checkUserId?.(userId);
    return userId;
  }

  function need(operation: Exclude<Operation, 'bind'>): void {
    if (!capabilities[CAPABILITY_OF[operation]] || !def[operation])
      throw unsupported(provider, `${operation}()`);
  }

  const binding: PhoneBinding = {
    provider,
    capabilities: Object.freeze({ ...capabilities }),

    bind(input: BindInput, options?: CallOptions) {
      return run('bind', options, async (call) => {
        if (!def.bind) throw unsupported(provider, 'bind()');
        const record = checkObject(
          input,
          ['userId', 'phoneNumber', 'defaultCountry', 'verified', 'primary'],
          'bind input',
        );
        const verified = checkFlag(record.verified, 'verified') ?? false;
        const primary = checkFlag(record.primary, 'primary');
        if (verified && !capabilities.assertVerified)
          throw unsupported(provider, 'bind a number as verified');
        if (!verified && !capabilities.codeVerification)
          throw unsupported(provider, 'verify a number with a code');
        if (primary !== undefined && !capabilities.primary)
          throw unsupported(provider, 'mark a number as primary');
        const userId = userIdOf(record.userId);
        const phone = normalizePhoneNumber(record.phoneNumber as string, {
          defaultCountry: record.defaultCountry as string | undefined,
        });
        call.redactor.phone(phone);
        return signed(await def.bind({ userId, phone, verified, primary }, call));
      });
    },

    verify(input: VerifyInput, options?: CallOptions) {
      return run('verify', options, async (call) => {
        need('verify');
        const record = checkObject(input, ['ticket', 'code'], 'verify input');
        const ticket = await ticketFor(record.ticket, 'verify', ['bind'], true);
        const code = checkCode(record.code, def.codeMaxLength);
        call.redactor.phone(ticket.phone).secret(code);
        return def.verify!({ ticket, code }, call);
      });
    },

    resend(input: ResendInput, options?: CallOptions) {
      return run('resend', options, async (call) => {
        need('resend');
        const record = checkObject(input, ['ticket'], 'resend input');
        const purposes: Array<'bind' | 'remove'> = capabilities.removeNeedsCode
          ? ['bind', 'remove']
          : ['bind'];
        const ticket = await ticketFor(record.ticket, 'resend', purposes, false);
        call.redactor.phone(ticket.phone);
        return signed(await def.resend!(ticket, call));
      });
    },

    get(input: GetInput, options?: CallOptions) {
      return run('get', options, async (call) => {
        need('get');
        const record = checkObject(input ?? {}, ['userId'], 'get input');
        return def.get!(userIdOf(record.userId), call);
      });
    },

    remove(input: RemoveInput, options?: CallOptions) {
      return run('remove', options, async (call) => {
        need('remove');
        const record = checkObject(input ?? {}, ['userId', 'phoneNumber', 'ticket', 'code'], 'remove input');
        const userId = userIdOf(record.userId);
        const phone =
          record.phoneNumber === undefined ? undefined : normalizePhoneNumber(record.phoneNumber as string);
        call.redactor.phone(phone);
        let confirm: CheckedRemove['confirm'];
        if (record.ticket !== undefined || record.code !== undefined) {
          if (!capabilities.removeNeedsCode) {
            throw invalidInput(
              `The ${provider} adapter removes a number without a code: pass neither ticket nor code.`,
            );
          }
          if (record.ticket === undefined || record.code === undefined) {
            throw invalidInput('remove() needs both ticket and code to finish a removal.');
          }
          const ticket = await ticketFor(record.ticket, 'remove', ['remove'], true);
          if (userId !== undefined && ticket.ticket.userId !== userId) {
            throw invalidInput('ticket.userId does not match userId.');
          }
          const code = checkCode(record.code, def.codeMaxLength);
          call.redactor.phone(ticket.phone).secret(code);
          confirm = { ticket, code };
        }
        return signed(await def.remove!({ userId, phone, confirm }, call));
      });
    },
  };
  return Object.freeze(binding);
}
