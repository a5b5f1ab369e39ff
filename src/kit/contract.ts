/**
 * The adapter contract: what an adapter declares and the shapes its operations receive. The core
 * ({@link ../internal/binding.ts}) does every input check, `unsupported`, ticket signing and error
 * finishing once for all adapters; an adapter declares its options, credentials, error table and
 * ticket data, and implements only backend work as plain functions `(input, ctx)`.
 */
import type * as z from 'zod/mini';
import type {
  CallContext,
  CredentialHeader,
  MappedError,
  PrepareRequest,
  RequestSpec,
} from '../internal/http.js';
import type { Redactor } from '../internal/redact.js';
import type { PhoneMetadata } from '../phone-core.js';
import type {
  BoundPhone,
  Capabilities,
  Hooks,
  Logger,
  LogLevel,
  Operation,
  PendingVerification,
  PhoneNumber,
  ProviderId,
  RemovedPhone,
  VerificationPurpose,
} from '../types.js';
import type { ErrorTable } from './error-table.js';

export type { CallContext } from '../internal/http.js';

/** Whom an adapter acts on: any user (`admin`, a service credential) or the token's own (`user`). */
export type Scope = Capabilities['scope'];

/** What the scope guarantees of a checked `userId`: a string on admin adapters, nothing on user ones. */
export type UserIdOf<S extends Scope> = S extends 'admin' ? string : undefined;

/** A ticket after every check, flat: its number parsed, its `data` checked by the adapter's schema. */
export interface CheckedTicket<S extends Scope = Scope, D = unknown> {
  purpose: VerificationPurpose;
  userId: UserIdOf<S>;
  phone: PhoneNumber;
  issuedAt: string;
  expiresAt: string | undefined;
  data: D;
}

/** A bind request after every input check. */
export interface CheckedBind<S extends Scope = Scope> {
  userId: UserIdOf<S>;
  phone: PhoneNumber;
  verified: boolean;
  primary: boolean | undefined;
  /** Enrol as the SMS second factor once verified (only where the capability says so). */
  secondFactor: boolean;
  /** On a change, keep the replaced number (only where the backend holds several). */
  keepPrevious: boolean;
}

/** A verify request after every input check. */
export interface CheckedVerify<S extends Scope = Scope, D = unknown> {
  ticket: CheckedTicket<S, D>;
  code: string;
  /** The code sent to the number being replaced, where the change needs it. */
  currentCode: string | undefined;
}

/** A resend request after every input check. */
export interface CheckedResend<S extends Scope = Scope, D = unknown> {
  ticket: CheckedTicket<S, D>;
}

/** A get request after every input check. */
export interface CheckedGet<S extends Scope = Scope> {
  userId: UserIdOf<S>;
}

/** A remove request after every input check. */
export interface CheckedRemove<S extends Scope = Scope, D = unknown> {
  userId: UserIdOf<S>;
  phone: PhoneNumber | undefined;
  /** Second step of a removal that needs a code. */
  confirm: { ticket: CheckedTicket<S, D>; code: string } | undefined;
}

/** What an adapter's operation works with: its options, its HTTP client bound to this call, the masker. */
export interface OperationContext<O> {
  provider: ProviderId;
  /** The backend's name, for messages: `Clerk`. */
  title: string;
  /** The adapter's options, as its schema parsed them. */
  options: O;
  /** The call's context (operation, call options, masker, deadline). */
  call: CallContext;
  /** Masks everything this call must never show. */
  redactor: Redactor;
  /**
   * Sends one request of this call. `detached` sends it outside the caller's signal and the
   * operation deadline (bounded by the per-attempt timeout): for clean-up after those fired.
   */
  send<T>(spec: RequestSpec<T>, how?: { detached?: boolean }): Promise<T>;
  /**
   * Reads a number the backend stored and registers it for masking; one that is not a possible
   * international number is `invalid_response` naming the provider. `fallback` stands in where
   * the number is already known (the one just verified).
   */
  storedPhone(value: string, fallback?: PhoneNumber): PhoneNumber;
  /**
   * Reads a number the backend returned, without registering it or failing: `undefined` when it
   * is not a possible international number (for comparisons).
   */
  readPhone(value: string): PhoneNumber | undefined;
  /** A pending verification of this provider and its ticket (the code, if any, is masked). */
  pending(fields: PendingFields): PendingVerification;
  /** A bound number of this provider. */
  bound(fields: BoundFields): BoundPhone;
  /** A removal. */
  removed(): RemovedPhone;
}

/** What a pending verification holds besides the number. */
export interface PendingFields {
  phone: PhoneNumber;
  /** Default `'bind'`. */
  purpose?: VerificationPurpose | undefined;
  /** The user, on admin adapters (it travels in the ticket). */
  userId?: string | undefined;
  /** When the backend says the code expires. */
  expiresAt?: Date | undefined;
  /** What the backend needs to finish (the adapter's ticket data). */
  data?: Record<string, string | number> | undefined;
  /** The code, where the backend hands it back instead of sending it. */
  code?: string | undefined;
  /** A change: the number being replaced. */
  replaces?: PhoneNumber | undefined;
  /** A change that also wants the replaced number's code (`verify({ currentCode })`). */
  needsCurrentCode?: boolean | undefined;
}

/** What a bound number holds besides its state. */
export interface BoundFields {
  phone: PhoneNumber;
  verified: boolean;
  /** The backend's id of the phone record. */
  id?: string | undefined;
  primary?: boolean | undefined;
  /** Enrolled as the SMS second factor, where the backend tells. */
  secondFactor?: boolean | undefined;
}

/**
 * An adapter's operation types by name, so its functions need one import:
 * `type Op = OperationTypes<'admin', Options, TicketData>`, then `bind(input: Op['bind'], ctx: Op['ctx'])`.
 */
export interface OperationTypes<S extends Scope, O, D> {
  bind: CheckedBind<S>;
  verify: CheckedVerify<S, D>;
  resend: CheckedResend<S, D>;
  get: CheckedGet<S>;
  remove: CheckedRemove<S, D>;
  ticket: CheckedTicket<S, D>;
  ctx: OperationContext<O>;
}

/** The ticket data of an adapter that issues none. */
export type NoTicketData = Record<string, never> | undefined;

type Result<T> = Promise<T>;

/** The backend work of an adapter, one plain function per operation it supports. */
export interface Operations<S extends Scope, O, D> {
  bind?(input: CheckedBind<S>, ctx: OperationContext<O>): Result<PendingVerification | BoundPhone>;
  verify?(input: CheckedVerify<S, D>, ctx: OperationContext<O>): Result<BoundPhone>;
  resend?(input: CheckedResend<S, D>, ctx: OperationContext<O>): Result<PendingVerification>;
  get?(input: CheckedGet<S>, ctx: OperationContext<O>): Result<BoundPhone | null>;
  remove?(input: CheckedRemove<S, D>, ctx: OperationContext<O>): Result<RemovedPhone | PendingVerification>;
}

/** The options every adapter's schema yields (the common ones, checked). */
export interface ParsedCommonOptions {
  baseUrl: string;
  fetch?: typeof fetch | undefined;
  timeout?: number | undefined;
  retry?: number | undefined;
  maxRetryAfter?: number | undefined;
  deadline?: number | undefined;
  ticketSecret?: string | undefined;
  headers?: Record<string, string> | undefined;
  hooks?: Hooks | undefined;
  logger?: Logger | undefined;
  logLevel?: LogLevel | undefined;
  /** The phone metadata (required by the kit; the default entries pass `min`). */
  metadata?: PhoneMetadata | undefined;
}

/**
 * A declarative adapter: everything the core needs to build its `PhoneBinding`. The core checks
 * the options with `options`, refuses browsers for `serverSecret` adapters, builds the HTTP client
 * from `credentials`, `fixedHeaders` and `errors`, and the binding from `operations`.
 */
export interface AdapterSpec<P extends ProviderId, S extends Scope, O, D> {
  /** Provider id (`PhoneBinding.provider`, tickets, errors). */
  provider: P;
  capabilities: Readonly<Capabilities & { scope: S }>;
  /** The options schema: `adapterOptions({ …own })`, built on the common options. */
  options: z.ZodMiniType<O>;
  /** Name of the option holding a server secret: the adapter then refuses browsers (unless allowed). */
  serverSecret?: string;
  /** How the adapter talks HTTP: credentials, the headers it owns, its error table. */
  http: {
    /** How credentials become headers, resolved per request. */
    credentials(options: O): readonly CredentialHeader[];
    /** Protocol headers the adapter owns (an API version, an app id); callers cannot replace them. */
    fixedHeaders?(options: O): Record<string, string>;
    /** The error table (`errorTable`), which also names the backend in every message. */
    errors: ErrorTable;
    /** Errors inside 2xx bodies, for backends that answer failures with HTTP 200. */
    bodyError?(body: unknown, operation: Operation): MappedError | undefined;
    /** The last step of every attempt (a signature over the whole request, SigV4). */
    prepare?(options: O): PrepareRequest;
  };
  /**
   * Schema of the ticket `data` this adapter issues (checked when a ticket comes back). Default:
   * no data (a `data` field, if any, is ignored).
   */
  ticketData?: z.ZodMiniType<D>;
  /** Longest code the backend accepts. Default 64, far above any SMS code. */
  codeMaxLength?: number;
  /** Backend-specific shape of a user id (ETNA's are integers); throws `invalid_input`. */
  checkUserId?(userId: string): void;
  operations: Operations<S, O, D>;
}
