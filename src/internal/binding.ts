import type * as z from 'zod/mini';
import { PhoneBindingError } from '../errors.js';
import type {
  CheckedBind,
  CheckedGet,
  CheckedRemove,
  CheckedResend,
  CheckedTicket,
  CheckedVerify,
  Scope,
  UserIdOf,
} from '../kit/contract.js';
import type { PhoneCodec } from '../phone-core.js';
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
  ProviderId,
  RemovedPhone,
  RemoveInput,
  ResendInput,
  VerifyInput,
} from '../types.js';
import { finalizeError } from './finalize.js';
import { type CallContext, Deadline } from './http.js';
import { checkCallOptions, checkCode, checkObject, checkUserId, invalidInput } from './input.js';
import { failureLevel, type Log } from './log.js';
import { Redactor } from './redact.js';
import { checkTicket, refuseExpired } from './ticket.js';
import type { TicketSigner } from './ticket-signer.js';

/**
 * What the core needs to build a binding: the adapter's identity, checks and backend operations
 * `(input, call)`. `defineAdapter` (src/kit/define.ts) builds it from a declarative adapter.
 */
export interface BindingDefinition<S extends Scope = Scope, D = unknown> {
  provider: ProviderId;
  capabilities: Capabilities & { scope: S };
  /** Longest code the backend accepts. */
  codeMaxLength: number;
  /** Backend-specific shape of a user id (ETNA's are integers); throws `invalid_input`. */
  checkUserId?: ((userId: string) => void) | undefined;
  /** Schema of the ticket `data` the adapter issues. */
  ticketData: z.ZodMiniType<D>;
  /** Numbers on the binding's metadata. */
  phones: PhoneCodec;
  /** Hooks, the operation deadline, the ticket secret. */
  common: {
    hooks?: Hooks | undefined;
    deadline?: number | undefined;
    ticketSecret?: string | undefined;
    log?: Log | undefined;
  };
  bind?(input: CheckedBind<S>, call: CallContext): Promise<PendingVerification | BoundPhone>;
  verify?(input: CheckedVerify<S, D>, call: CallContext): Promise<BoundPhone>;
  resend?(input: CheckedResend<S, D>, call: CallContext): Promise<PendingVerification>;
  get?(input: CheckedGet<S>, call: CallContext): Promise<BoundPhone | null>;
  remove?(input: CheckedRemove<S, D>, call: CallContext): Promise<RemovedPhone | PendingVerification>;
}

/** Default milliseconds for a whole operation (all requests, retries and waits). */
export const DEFAULT_DEADLINE = 30_000;

/** The one line of a failed operation: masked like the error itself (it is built from it). */
function logFailure(log: Log, error: PhoneBindingError, ms: number): void {
  const level = failureLevel(error.code);
  if (!log.enabled(level)) return;
  const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
  const request = error.requestId === undefined ? '' : ` request id ${error.requestId}`;
  log.write(
    level,
    `phone-binding: ${error.provider} ${error.operation} failed in ${Math.round(ms)} ms: ${error.code}${status}${request}: ${error.message}`,
  );
}

function unsupported(provider: ProviderId, what: string): PhoneBindingError {
  return new PhoneBindingError({ code: 'unsupported', message: `The ${provider} adapter cannot ${what}.` });
}

function checkFlag(value: unknown, field: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalidInput(`${field} must be a boolean.`);
}

/** The operation, or `unsupported` when the adapter lacks it or its capability says no. */
function operationOf<F>(provider: ProviderId, allowed: boolean, operation: F | undefined, name: string): F {
  if (!allowed || operation === undefined) throw unsupported(provider, `${name}()`);
  return operation;
}

/** Builds a {@link PhoneBinding} from an adapter's backend operations. */
export function createBinding<S extends Scope, D>(def: BindingDefinition<S, D>): PhoneBinding {
  const { provider, capabilities } = def;
  const scope = capabilities.scope;
  const hooks: Hooks | undefined = def.common.hooks;
  const log = def.common.log;
  const deadlineMs = def.common.deadline ?? DEFAULT_DEADLINE;
  const secret = def.common.ticketSecret;
  // Loaded on first use: a ticketSecret belongs on a server, so a browser bundle (which splits
  // dynamic imports into their own chunk) does not download the signer it never runs. Each
  // operation that issues a ticket loads it before its first request, so a failed load fails the
  // call before anything is sent (never after an SMS); the next call tries the load again.
  let loading: Promise<TicketSigner> | undefined;
  const loadSigner =
    secret === undefined
      ? undefined
      : (): Promise<TicketSigner> => {
          loading ??= import('./ticket-signer.js').then(
            ({ TicketSigner }) => new TicketSigner(secret),
            (error: unknown) => {
              loading = undefined;
              throw error;
            },
          );
          return loading;
        };

  /** Signs the ticket of a pending result when the adapter has a ticketSecret. */
  async function signed<T extends PendingVerification | BoundPhone | RemovedPhone | null>(
    result: T,
    signer: TicketSigner | undefined,
  ): Promise<T> {
    if (!signer || result === null || result.state !== 'pending') return result;
    return { ...result, ticket: await signer.sign(result.ticket) };
  }

  async function run<T>(
    operation: Operation,
    rawOptions: unknown,
    body: (call: CallContext) => Promise<T>,
  ): Promise<T> {
    const redactor = new Redactor(def.phones.mask);
    const started = log ? performance.now() : 0;
    // One deadline for the whole operation: every request, retry and backoff wait inside it.
    const deadline = new Deadline(deadlineMs);
    try {
      const options: CallOptions = checkCallOptions(rawOptions);
      return await body({ operation, options, redactor, deadline });
    } catch (error) {
      const out = finalizeError(error, provider, operation, redactor);
      if (log) logFailure(log, out, performance.now() - started);
      try {
        hooks?.error?.({ type: 'error', provider, operation, error: out });
      } catch {
        // An observer must never change the error the caller sees.
      }
      throw out;
    } finally {
      deadline.clear();
    }
  }

  /**
   * Checks a ticket that came back from the caller: shape, provider, purpose, scope and data,
   * then its signature (with a ticketSecret), then — unless `resend` replaces it — its expiry.
   */
  async function ticketFor(
    value: unknown,
    method: Operation,
    purposes: Array<'bind' | 'remove'>,
    expiryMatters: boolean,
  ): Promise<CheckedTicket<S, D>> {
    const { ticket, checked } = checkTicket(value, {
      provider,
      purposes,
      scope,
      method,
      data: def.ticketData,
      normalize: normalizeTicketPhone,
    });
    if (checked.userId !== undefined) def.checkUserId?.(checked.userId);
    const signer = await loadSigner?.();
    const forged = signer && (await signer.problem(ticket));
    if (forged) throw invalidInput(`ticket ${forged}.`);
    if (expiryMatters) refuseExpired(checked.expiresAt);
    return checked;
  }

  function normalizeTicketPhone(e164: string) {
    return def.phones.normalize(e164);
  }

  function userIdOf(value: unknown): UserIdOf<S> {
    const userId = checkUserId(value, scope);
    if (userId !== undefined) def.checkUserId?.(userId);
    return userId as UserIdOf<S>;
  }

  const binding: PhoneBinding = {
    provider,
    capabilities: Object.freeze({ ...capabilities }),

    bind(input: BindInput, options?: CallOptions) {
      return run('bind', options, async (call) => {
        const bind = operationOf(provider, true, def.bind, 'bind');
        const record = checkObject(
          input,
          ['userId', 'phoneNumber', 'defaultCountry', 'verified', 'primary', 'secondFactor', 'keepPrevious'],
          'bind input',
        );
        const verified = checkFlag(record.verified, 'verified') ?? false;
        const primary = checkFlag(record.primary, 'primary');
        const secondFactor = checkFlag(record.secondFactor, 'secondFactor') ?? false;
        const keepPrevious = checkFlag(record.keepPrevious, 'keepPrevious') ?? false;
        if (secondFactor && !capabilities.secondFactor)
          throw unsupported(provider, 'enrol a number as the SMS second factor');
        if (keepPrevious && !capabilities.multipleNumbers)
          throw unsupported(provider, 'keep a previous number (a user holds one number)');
        if (verified && !capabilities.assertVerified)
          throw unsupported(provider, 'bind a number as verified');
        if (!verified && !capabilities.codeVerification)
          throw unsupported(provider, 'verify a number with a code');
        if (primary !== undefined && !capabilities.primary)
          throw unsupported(provider, 'mark a number as primary');
        const userId = userIdOf(record.userId);
        const phone = def.phones.normalize(record.phoneNumber as string, {
          defaultCountry: record.defaultCountry as string | undefined,
        });
        call.redactor.phone(phone);
        const signer = await loadSigner?.();
        return signed(
          await bind.call(def, { userId, phone, verified, primary, secondFactor, keepPrevious }, call),
          signer,
        );
      });
    },

    verify(input: VerifyInput, options?: CallOptions) {
      return run('verify', options, async (call) => {
        const verify = operationOf(provider, capabilities.codeVerification, def.verify, 'verify');
        const record = checkObject(input, ['ticket', 'code', 'currentCode'], 'verify input');
        const ticket = await ticketFor(record.ticket, 'verify', ['bind'], true);
        const code = checkCode(record.code, def.codeMaxLength);
        const currentCode =
          record.currentCode === undefined ? undefined : checkCode(record.currentCode, def.codeMaxLength);
        call.redactor.phone(ticket.phone).secret(code);
        if (currentCode !== undefined) call.redactor.secret(currentCode);
        return verify.call(def, { ticket, code, currentCode }, call);
      });
    },

    resend(input: ResendInput, options?: CallOptions) {
      return run('resend', options, async (call) => {
        const resend = operationOf(provider, capabilities.resend, def.resend, 'resend');
        const record = checkObject(input, ['ticket'], 'resend input');
        const purposes: Array<'bind' | 'remove'> = capabilities.removeNeedsCode
          ? ['bind', 'remove']
          : ['bind'];
        const ticket = await ticketFor(record.ticket, 'resend', purposes, false);
        call.redactor.phone(ticket.phone);
        const signer = await loadSigner?.();
        return signed(await resend.call(def, { ticket }, call), signer);
      });
    },

    get(input: GetInput, options?: CallOptions) {
      return run('get', options, async (call) => {
        const get = operationOf(provider, capabilities.get, def.get, 'get');
        const record = checkObject(input ?? {}, ['userId'], 'get input');
        return get.call(def, { userId: userIdOf(record.userId) }, call);
      });
    },

    remove(input: RemoveInput, options?: CallOptions) {
      return run('remove', options, async (call) => {
        const remove = operationOf(provider, capabilities.remove, def.remove, 'remove');
        const record = checkObject(input ?? {}, ['userId', 'phoneNumber', 'ticket', 'code'], 'remove input');
        const userId = userIdOf(record.userId);
        const phone =
          record.phoneNumber === undefined ? undefined : def.phones.normalize(record.phoneNumber as string);
        call.redactor.phone(phone);
        let confirm: CheckedRemove<S, D>['confirm'];
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
          if (userId !== undefined && ticket.userId !== userId) {
            throw invalidInput('ticket.userId does not match userId.');
          }
          const code = checkCode(record.code, def.codeMaxLength);
          call.redactor.phone(ticket.phone).secret(code);
          confirm = { ticket, code };
        }
        const signer = await loadSigner?.();
        return signed(await remove.call(def, { userId, phone, confirm }, call), signer);
      });
    },
  };
  return Object.freeze(binding);
}
