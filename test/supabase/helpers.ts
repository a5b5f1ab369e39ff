import {
  SWISS_DIGITS as DIGITS,
  SWISS_NATIONAL as NATIONAL,
  SWISS_PHONE as PHONE,
} from '../support/phones.js';
import * as recorder from '../support/recorder.js';

export { OTHER_SWISS_PHONE as OTHER_PHONE, SWISS_PHONE_NUMBER as PHONE_NUMBER } from '../support/phones.js';
export { rejection } from '../support/rejection.js';
export { DIGITS, NATIONAL, PHONE };

/** The mocked project URL. */
export const BASE = 'https://abcdefghijklmnop.supabase.co';
export const API_KEY = 'sb_publishable_k3y_value';
export const ACCESS_TOKEN = 'eyJuser.access.t0ken';
export const SECRET_KEY = 'sb_secret_s3cr3t_value';
export const CODE = '482913';
export const USER_ID = '5d0c2a4e-7c1b-4d8e-9f3a-2b6c8d0e1f2a';
export const PHONE_IDENTITY = '0b6f5a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
export const SESSION_ACCESS = 'eyJsession.new.acc3ss';
export const SESSION_REFRESH = 'refresh-n3w-t0ken-value';

/** A GoTrue User with the given phone fields. */
export function user(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: USER_ID,
    aud: 'authenticated',
    role: 'authenticated',
    email: 'user@example.com',
    phone: '',
    identities: [{ identity_id: 'e0e0e0e0-0000-4000-8000-000000000000', provider: 'email' }],
    ...fields,
  };
}

/** A user holding `digits`, confirmed, with a phone identity. */
export function withPhone(digits: string, confirmed = true): Record<string, unknown> {
  return user({
    phone: digits,
    ...(confirmed ? { phone_confirmed_at: '2025-01-01T00:00:00.123456Z' } : {}),
    identities: [
      { identity_id: 'e0e0e0e0-0000-4000-8000-000000000000', provider: 'email' },
      { identity_id: PHONE_IDENTITY, provider: 'phone' },
    ],
  });
}

/** GoTrue's error body (with the version header). */
export function gotrueError(code: string, message: string): Record<string, unknown> {
  return { code, message };
}

export const useMockSupabase = () => recorder.useMockBackend({ origins: [BASE] });

export const expectNoLeak = recorder.expectNoLeakOf([
  PHONE,
  DIGITS,
  NATIONAL,
  CODE,
  API_KEY,
  ACCESS_TOKEN,
  SECRET_KEY,
  SESSION_ACCESS,
  SESSION_REFRESH,
]);

/** User-scope requests: apikey, the user's Bearer, the version header, the exact body. */
export const expectUserRequest = recorder.expectRequestOf((body?: unknown) => ({
  headers: {
    apikey: API_KEY,
    authorization: `Bearer ${ACCESS_TOKEN}`,
    'x-supabase-api-version': '2024-01-01',
    accept: 'application/json',
  },
  json: body,
}));

/** Admin requests: the secret key as apikey and Bearer. */
export const expectAdminRequest = recorder.expectRequestOf((body?: unknown) => ({
  headers: {
    apikey: SECRET_KEY,
    authorization: `Bearer ${SECRET_KEY}`,
    'x-supabase-api-version': '2024-01-01',
    accept: 'application/json',
  },
  json: body,
}));
