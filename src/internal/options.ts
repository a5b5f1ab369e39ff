import type { CommonAdapterOptions, Hooks } from '../types.js';
import { checkBaseUrl, checkHeaders, checkObject, checkTimeout, invalidInput } from './input.js';
import { MIN_TICKET_SECRET_LENGTH } from './ticket.js';

/** Names of the options every adapter accepts. */
export const COMMON_OPTION_KEYS = [
  'baseUrl',
  'fetch',
  'timeout',
  'retry',
  'maxRetryAfter',
  'deadline',
  'ticketSecret',
  'headers',
  'hooks',
] as const;

/** Common options after their checks. */
export interface CheckedCommonOptions {
  baseUrl: string;
  fetch: typeof fetch | undefined;
  timeout: number | undefined;
  retry: number | undefined;
  maxRetryAfter: number | undefined;
  deadline: number | undefined;
  ticketSecret: string | undefined;
  headers: Record<string, string>;
  hooks: Hooks | undefined;
}

/** Checks an adapter's options object: the common options plus `ownKeys`; any other key is refused. */
export function checkAdapterOptions(
  options: unknown,
  adapter: string,
  ownKeys: readonly string[],
): { common: CheckedCommonOptions; record: Record<string, unknown> } {
  const record = checkObject(options, [...COMMON_OPTION_KEYS, ...ownKeys], `${adapter}() options`);
  const { fetch, retry, hooks, ticketSecret } = record as Partial<CommonAdapterOptions>;
  if (
    ticketSecret !== undefined &&
    (typeof ticketSecret !== 'string' || ticketSecret.length < MIN_TICKET_SECRET_LENGTH)
  ) {
    throw invalidInput(`ticketSecret must be a string of at least ${MIN_TICKET_SECRET_LENGTH} characters.`);
  }
  if (fetch !== undefined && typeof fetch !== 'function') throw invalidInput('fetch must be a function.');
  if (retry !== undefined && (!Number.isInteger(retry) || retry < 0 || retry > 10)) {
    throw invalidInput('retry must be a whole number from 0 to 10.');
  }
  if (hooks !== undefined) {
    const checked = checkObject(hooks, ['request', 'response', 'error'], 'hooks');
    for (const [name, hook] of Object.entries(checked)) {
      if (hook !== undefined && typeof hook !== 'function')
        throw invalidInput(`hooks.${name} must be a function.`);
    }
  }
  return {
    common: {
      baseUrl: checkBaseUrl(record.baseUrl),
      fetch,
      timeout: checkTimeout(record.timeout, 'timeout'),
      retry,
      maxRetryAfter: checkTimeout(record.maxRetryAfter, 'maxRetryAfter'),
      deadline: checkTimeout(record.deadline, 'deadline'),
      ticketSecret,
      headers: checkHeaders(record.headers, 'headers'),
      hooks,
    },
    record,
  };
}

/**
 * Options of adapters that hold a server secret.
 *
 * @example
 * ```ts
 * import { type ServerSecretOptions, zitadel } from 'phone-binding/zitadel';
 *
 * // An internal admin console that runs in the browser on purpose (its users may see the token).
 * const internalTool: ServerSecretOptions = { dangerouslyAllowBrowser: true };
 * const phones = zitadel({ baseUrl: 'https://my-instance.zitadel.cloud', token, ...internalTool });
 * ```
 */
export interface ServerSecretOptions {
  /**
   * Allow creating this adapter in a browser. It holds a secret that grants access to every
   * user; anyone who opens the page can read it. Only for trusted internal tools.
   */
  dangerouslyAllowBrowser?: boolean;
}

/** Refuses to create a server-secret adapter in a browser unless explicitly allowed. */
export function refuseInBrowser(adapter: string, secretName: string, allowed: unknown): void {
  const g = globalThis as { window?: { document?: unknown }; importScripts?: unknown };
  // A page has window.document; browser workers have importScripts (server runtimes such as
  // Node, Deno, Bun and edge workers have neither).
  const inBrowser =
    (typeof g.window === 'object' && g.window !== null && typeof g.window.document === 'object') ||
    typeof g.importScripts === 'function';
  if (inBrowser && allowed !== true) {
    throw invalidInput(
      `${adapter}() holds a server secret (${secretName}) and refuses to run in a browser, where anyone can read it. ` +
        'Call it from your server, or pass dangerouslyAllowBrowser: true if you really mean it.',
    );
  }
}
