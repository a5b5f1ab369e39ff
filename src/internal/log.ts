import type { PhoneBindingErrorCode } from '../errors.js';
import type { Logger, LogLevel } from '../types.js';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };
/** The levels the `logLevel` option and `PHONE_BINDING_LOG` take. */
export const LOG_LEVELS = Object.keys(RANK) as LogLevel[];

/**
 * The level of a failed operation's line, by what it asks of whom: the backend or the network
 * failed (`error`), the configuration or a quota (`warn`), or the caller's input explains it
 * (`info`: a wrong code is a user typing, not an incident).
 */
export function failureLevel(code: PhoneBindingErrorCode): Exclude<LogLevel, 'silent' | 'debug'> {
  switch (code) {
    case 'provider_error':
    case 'invalid_response':
    case 'network':
    case 'timeout':
      return 'error';
    case 'unauthenticated':
    case 'forbidden':
    case 'rate_limited':
      return 'warn';
    default:
      return 'info';
  }
}

/** Writes lines at or above a level; `undefined` when nothing would be written. */
export interface Log {
  enabled(level: LogLevel): boolean;
  write(level: Exclude<LogLevel, 'silent'>, line: string): void;
}

/** The environment's `PHONE_BINDING_LOG`, where there is an environment (browsers have none). */
function envLevel(): LogLevel | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  const value = g.process?.env?.PHONE_BINDING_LOG?.trim().toLowerCase();
  return value !== undefined && (LOG_LEVELS as string[]).includes(value) ? (value as LogLevel) : undefined;
}

/** The log of an adapter: its `logger` (default `console`) at its `logLevel` (default env, else `warn`). */
export function createLog(logger: Logger | undefined, level: LogLevel | undefined): Log | undefined {
  const threshold = RANK[level ?? envLevel() ?? 'warn'];
  const target = logger ?? (globalThis as { console?: Logger }).console;
  if (threshold >= RANK.silent || !target) return undefined;
  return {
    enabled: (at) => RANK[at] >= threshold,
    write(at, line) {
      if (RANK[at] < threshold) return;
      try {
        target[at](line);
      } catch {
        // A logger must never change the call it reports.
      }
    },
  };
}
