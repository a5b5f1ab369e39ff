import * as z from 'zod/mini';
import { type BindingDefinition, createBinding } from '../internal/binding.js';
import { refuseInBrowser } from '../internal/browser.js';
import { type CallContext, HttpClient } from '../internal/http.js';
import { lazy } from '../internal/lazy.js';
import { createLog } from '../internal/log.js';
import { apiRoot, optionsError, parseWith } from '../internal/option-schemas.js';
import { phoneCodec } from '../phone-core.js';
import type { PhoneBinding, ProviderId } from '../types.js';
import type { AdapterSpec, OperationContext, Operations, ParsedCommonOptions, Scope } from './contract.js';
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
      const context = (call: CallContext): OperationContext<O> => {
        const self = {
          provider: spec.provider,
          title: spec.http.errors.title,
          redactor: call.redactor,
          readPhone: phones.readStored,
        };
        return {
          ...self,
          options: parsed,
          call,
          send: (request, how) =>
            http.send(
              request,
              how?.detached
                ? { ...call, options: { ...call.options, signal: undefined }, deadline: undefined }
                : call,
            ),
          storedPhone: (value, fallback) => storedPhone(self, value, fallback),
          readPhone: phones.readStored,
          pending: (fields) => pendingResult(self, fields),
          bound: (fields) => boundResult(self, fields),
          removed: () => removedResult(self),
        };
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
            operation(input, context(call));
        }
      }
      return createBinding(def);
    },
  };
}
