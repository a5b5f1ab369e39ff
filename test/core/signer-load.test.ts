/**
 * The ticket signer is loaded on first use (a chunk of its own in browser bundles). A failed load
 * must fail the call before its backend operation runs — never after an SMS was sent — and the
 * next call must try the load again. Its own file: the module mock must be in place before the
 * binding's first `import()` of the signer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { ETNA_CAPABILITIES } from '../../adapters/etna/adapter.js';
import { type BindingDefinition, createBinding } from '../../src/internal/binding.js';
import { createTicket } from '../../src/internal/ticket.js';
import { MIN_METADATA, normalizePhoneNumber } from '../../src/phone.js';
import { phoneCodec } from '../../src/phone-core.js';
import type { PendingVerification } from '../../src/types.js';
import { rejection } from '../support/rejection.js';

const PHONE = normalizePhoneNumber('+41 79 123 45 67');
let loads = 0;
let failLoads = 0;

vi.mock('../../src/internal/ticket-signer.js', async (importOriginal) => {
  loads += 1;
  if (loads <= failLoads) throw new Error('chunk failed to load');
  return importOriginal();
});

afterEach(() => {
  vi.resetModules();
});

function setup() {
  let sent = 0;
  const def: BindingDefinition = {
    provider: 'etna',
    // Any admin-scope code flow will do: ETNA's.
    capabilities: ETNA_CAPABILITIES,
    codeMaxLength: 8,
    phones: phoneCodec(MIN_METADATA),
    ticketData: z.unknown(),
    common: { ticketSecret: 'a-ticket-secret-of-32-characters!' },
    bind: async ({ userId, phone }) => {
      sent += 1;
      return {
        state: 'pending',
        purpose: 'bind',
        provider: 'etna',
        phone,
        ticket: createTicket({ provider: 'etna', purpose: 'bind', phone, userId }),
      } satisfies PendingVerification;
    },
  };
  return { binding: createBinding(def), sent: () => sent };
}

describe('the ticket signer, loaded on first use', () => {
  it('a failed load fails bind() before the backend is asked; the next bind() loads it and signs', async () => {
    failLoads = 1;
    const { binding, sent } = setup();
    const error = await rejection(binding.bind({ userId: 'u1', phoneNumber: PHONE.e164 }));
    expect(error).toMatchObject({ code: 'provider_error', operation: 'bind' });
    expect(sent()).toBe(0);

    const result = await binding.bind({ userId: 'u1', phoneNumber: PHONE.e164 });
    expect(sent()).toBe(1);
    expect(result.state).toBe('pending');
    expect(result.state === 'pending' && result.ticket.signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(loads).toBe(2);
  });
});
