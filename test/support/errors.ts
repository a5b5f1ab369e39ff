import { expect } from 'vitest';
import {
  type Operation,
  PhoneBindingError,
  type PhoneBindingErrorCode,
  type ProviderId,
} from '../../src/index.js';
import type { Reply } from './recorder.js';

/** The public fields of a PhoneBindingError a test pins down; an optional one left out must be absent. */
export interface ErrorFields {
  code: PhoneBindingErrorCode;
  provider: ProviderId;
  operation: Operation;
  retryable: boolean;
  status?: number;
  providerCode?: string;
  retryAfterMs?: number;
  details?: unknown;
}

/** Asserts a PhoneBindingError with exactly these fields (requestId aside) and a non-empty message. */
export function expectErrorFields(error: unknown, fields: ErrorFields): void {
  expect(error).toBeInstanceOf(PhoneBindingError);
  const actual = error as PhoneBindingError;
  expect(actual.name).toBe('PhoneBindingError');
  expect(actual.code).toBe(fields.code);
  expect(actual.status).toBe(fields.status);
  expect(actual.providerCode).toBe(fields.providerCode);
  expect(actual.retryable).toBe(fields.retryable);
  expect(actual.operation).toBe(fields.operation);
  expect(actual.provider).toBe(fields.provider);
  expect(actual.retryAfterMs).toBe(fields.retryAfterMs);
  expect(actual.details).toEqual(fields.details);
  expect(typeof actual.message).toBe('string');
  expect(actual.message.length).toBeGreaterThan(0);
}

/** An error answer: a JSON body or a raw one, with headers. */
export interface ErrorAnswer {
  status: number;
  /** JSON body. */
  body?: unknown;
  /** Raw body (wins over `body`); '' for an empty body. */
  text?: string;
  headers?: Record<string, string>;
}

/** One error answer of a case table and what the adapter must make of it. */
export interface ErrorCase extends ErrorAnswer {
  name: string;
  op: Operation;
  code: PhoneBindingErrorCode;
  providerCode?: string;
  retryable: boolean;
  retryAfterMs?: number;
}

/** The mocked backend's reply that gives `answer`. */
export function errorReply(answer: ErrorAnswer): Reply {
  const headers = answer.headers ? { headers: answer.headers } : {};
  return answer.text !== undefined
    ? { status: answer.status, text: answer.text, ...headers }
    : { status: answer.status, json: answer.body, ...headers };
}

/**
 * Asserts the error `provider` made of a case's answer: the case's fields, the answer's status, and
 * the answer as details (the JSON body; a raw body as its text, an empty one as none).
 */
export function expectMappedError(error: unknown, c: ErrorCase, provider: ProviderId): void {
  const details = c.text === undefined ? c.body : c.text.length === 0 ? undefined : c.text;
  expectErrorFields(error, { ...c, operation: c.op, provider, details });
}
