import * as z from 'zod/mini';
import { type BindingDefinition, createBinding } from '../internal/binding.js';
import { refuseInBrowser } from '../internal/browser.js';
import { type CallContext, HttpClient, type RequestSpec } from '../internal/http.js';
import { lazy } from '../internal/lazy.js';
import { createLog } from '../internal/log.js';
import { apiRoot, optionsError, parseWith } from '../internal/option-schemas.js';
import { phoneCodec } from '../phone-core.js';
import type {
  BoundPhone,
  PendingVerification,
  PhoneBinding,
  PhoneNumber,
  ProviderId,
  RemovedPhone,
} from '../types.js';
import type {
  AdapterSpec,
  BoundFields,
  OperationContext,
  Operations,
  ParsedCommonOptions,
  PendingFields,
  Scope,
} from './contract.js';
import { boundResult, pendingResult, removedResult, storedPhone } from './results.js';

/** A declared adapter: its spec (read by `createPhoneBinding` and the registry) and its factory. */
export interface Adapter<
  P extends ProviderId = ProviderId,
  S extends Scope = Scope,
  O = unknown,
  D = unknown,
> {
  readonly spec: AdapterSpec<P, S, O, D>;
  /** The longest code the adapter accepts (the spec's, or the default). */
  readonly codeMaxLength: number;
  /** Checks `options` with the spec's schema and builds the binding. */
  create(options: unknown): PhoneBinding;
}

const OPERATIONS = ['bind', 'verify', 'resend', 'get', 'remove'] as const;

/** Longest code accepted where the backend documents none: far above any SMS code. */
const DEFAULT_CODE_MAX_LENGTH = 64;
/** The ticket data of adapters that issue none; a `data` field, if any, is ignored. */
const NO_TICKET_DATA = lazy(() => z.optional(z.object({})));

/** What every call of one binding shares: built once per binding, not once per call. */
interface ContextBase<O> {
  provider: ProviderId;
  title: string;
  options: O;
  http: HttpClient;
  readPhone: (value: string) => PhoneNumber | undefined;
}

/**
 * The context of one operation. A class, so a call allocates one object and no closures (its
 * methods live on the prototype): the context is made on every call.
 */
class CallScope<O> implements OperationContext<O> {
  readonly provider: ProviderId;
  readonly title: string;
  readonly options: O;
  readonly redactor: CallContext['redactor'];
  readonly readPhone: (value: string) => PhoneNumber | undefined;

  constructor(
    private readonly base: ContextBase<O>,
    readonly call: CallContext,
  ) {
    this.provider = base.provider;
    this.title = base.title;
    this.options = base.options;
    this.redactor = call.redactor;
    this.readPhone = base.readPhone;
  }

  send<T>(request: RequestSpec<T>, how?: { detached?: boolean }): Promise<T> {
    const call = this.call;
    return this.base.http.send(
      request,
      how?.detached
        ? { ...call, options: { ...call.options, signal: undefined }, deadline: undefined }
        : call,
    );
  }

  storedPhone(value: string, fallback?: PhoneNumber): PhoneNumber {
    return storedPhone(this, value, fallback);
  }

  pending(fields: PendingFields): PendingVerification {
    return pendingResult(this, fields);
  }

  bound(fields: BoundFields): BoundPhone {
    return boundResult(this, fields);
  }

  removed(): RemovedPhone {
    return removedResult(this);
  }
}

/** A provider's factory name: its id in camelCase (`zitadel-self` → `zitadelSelf`). */
export function factoryName(provider: string): string {
  return provider.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Turns a declarative adapter into its factory: the core validates the options with the spec's
 * schema (every problem at once), refuses browsers for server-secret adapters, builds the HTTP
 * client and the binding. The operations stay plain functions `(input, ctx)`.
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineAdapter<P extends ProviderId, S extends Scope, Schema extends z.ZodMiniType, D>(
  spec: AdapterSpec<P, S, z.output<Schema>, D> & { options: Schema },
): Adapter<P, S, z.output<Schema>, D> {
  type O = z.output<Schema>;
  const codeMaxLength = spec.codeMaxLength ?? DEFAULT_CODE_MAX_LENGTH;
  return {
    spec,
    codeMaxLength,
    create(raw: unknown): PhoneBinding {
      // Every schema is built on adapterOptions(), so it yields the common options.
      const factory = factoryName(spec.provider);
      const options = parseWith(spec.options, raw, `${factory}() options`) as O & ParsedCommonOptions;
      if (spec.serverSecret !== undefined) {
        const allowed = (options as { dangerouslyAllowBrowser?: boolean }).dangerouslyAllowBrowser;
        refuseInBrowser(factory, spec.serverSecret, allowed);
      }
      if (options.metadata === undefined) {
        throw optionsError(`${factory}() options`, [
          'metadata is missing (the factories of the phone-binding/…/core entries need libphonenumber-js metadata; the entries without /core bring min)',
        ]);
      }
      const phones = phoneCodec(options.metadata);
      const log = createLog(options.logger, options.logLevel);
      const parsed: O & ParsedCommonOptions = { ...options, baseUrl: apiRoot(options.baseUrl) };
      const http = new HttpClient({
        provider: spec.provider,
        title: spec.http.errors.title,
        baseUrl: parsed.baseUrl,
        fetch: parsed.fetch,
        timeout: parsed.timeout,
        retry: parsed.retry,
        maxRetryAfter: parsed.maxRetryAfter,
        headers: parsed.headers,
        hooks: parsed.hooks,
        credentials: spec.http.credentials(parsed),
        fixedHeaders: spec.http.fixedHeaders?.(parsed),
        mapError: spec.http.errors,
        bodyError: spec.http.bodyError,
        prepare: spec.http.prepare?.(parsed),
        log,
      });
      const base: ContextBase<O & ParsedCommonOptions> = {
        provider: spec.provider,
        title: spec.http.errors.title,
        options: parsed,
        http,
        readPhone: phones.readStored,
      };
      const def: BindingDefinition<S, D> = {
        provider: spec.provider,
        capabilities: spec.capabilities,
        codeMaxLength,
        phones,
        checkUserId: spec.checkUserId,
        ticketData: spec.ticketData ?? (NO_TICKET_DATA as z.ZodMiniType<D>),
        common: { hooks: parsed.hooks, deadline: parsed.deadline, ticketSecret: parsed.ticketSecret, log },
      };
      const ops: Operations<S, O, D> = spec.operations;
      for (const name of OPERATIONS) {
        const operation = ops[name] as
          | ((input: unknown, ctx: OperationContext<O>) => Promise<never>)
          | undefined;
        if (operation) {
          (def as unknown as Record<string, unknown>)[name] = (input: unknown, call: CallContext) =>
            operation(input, new CallScope(base, call));
        }
      }
      return createBinding(def);
    },
  };
}
