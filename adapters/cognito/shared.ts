/** What both Cognito adapters share: the endpoint, the transport (target header, signing), ticket data, attributes. */
import * as z from 'zod/mini';
import { type OperationContext, PhoneBindingError } from '../../src/kit/index.js';
import type { PhoneNumber, ProviderId } from '../../src/types.js';
import { type CognitoUser, TARGET_KEY, TARGET_PREFIX } from './wire.js';

/**
 * The provider ids (DESIGN `ProviderId`). The registry does not list the cognito entry yet (see the
 * hand-back note: two shared suites cannot take it as they stand), so `ProviderId` lacks them and
 * they are cast here, in one place; once registered these become `'cognito' as const` / `'cognito-admin' as const`.
 */
export const COGNITO_ID = 'cognito' as unknown as ProviderId;
/** See {@link COGNITO_ID}. */
export const COGNITO_ADMIN_ID = 'cognito-admin' as unknown as ProviderId;

/** `application/x-amz-json-1.1`, the awsJson1_1 protocol's content type (a fixed header). */
export const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * An AWS region name: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-5`.
 * Checked so a typo cannot become another host name.
 */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** A region option: an AWS region name. */
export const regionSchema = z
  .string()
  .check(z.regex(REGION, { error: 'must be an AWS region name such as us-east-1' }));

/**
 * The endpoint of a region (decide 10): `https://cognito-idp.<region>.amazonaws.com`, the China
 * partition's `.amazonaws.com.cn`; FIPS, dual-stack, other partitions and proxies only through
 * `baseUrl`.
 */
export function regionEndpoint(region: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://cognito-idp.${region}.${suffix}`;
}

/** A request as the transport hands it to the signer (admin) or sends it as is (user). */
export type PrepareRequest = (request: Request) => Promise<Request>;

/**
 * The fetch both adapters give the kit's HTTP client (it calls it once per attempt, after setting
 * the fixed headers): it moves the operation name from the body's {@link TARGET_KEY} to the
 * `X-Amz-Target` header, sends the body Cognito expects (the rest, in order), lets `prepare`
 * sign it (admin; per attempt, so a retry is signed anew with fresh credentials), then calls the
 * caller's `fetch` — looked up per attempt, so a fetch patched later (msw) is used.
 */
export function cognitoFetch(inner: typeof fetch | undefined, prepare?: PrepareRequest): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const text = await request.text();
    const headers = new Headers(request.headers);
    let body = text;
    if (text.length > 0) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const target = parsed[TARGET_KEY];
      if (typeof target === 'string') {
        headers.set('x-amz-target', `${TARGET_PREFIX}${target}`);
        delete parsed[TARGET_KEY];
        body = JSON.stringify(parsed);
      }
    }
    let out = new Request(request.url, { method: request.method, headers, body, signal: request.signal });
    if (prepare) out = await prepare(out);
    const fetchImpl = inner ?? globalThis.fetch;
    return fetchImpl(out, init === undefined ? undefined : withoutRequestFields(init));
  };
}

/** ky passes only non-request options as `init`; keep it so, whatever a caller's fetch wraps. */
function withoutRequestFields(init: RequestInit): RequestInit {
  const { body: _body, headers: _headers, method: _method, signal: _signal, ...rest } = init;
  return rest;
}

/** The body of one Cognito call: the operation name for the transport, then its members in model order. */
export function call(operation: string, members: Record<string, unknown>): Record<string, unknown> {
  return { [TARGET_KEY]: operation, ...members };
}

/**
 * The ticket data of both adapters: `{ secondFactor: 1 }` when `bind({ secondFactor: true })` asked
 * for SMS MFA once the number is verified; no data otherwise.
 */
export const ticketData = z.optional(z.object({ secondFactor: z.optional(z.literal(1)) }));

/** What {@link ticketData} yields. */
export type TicketData = z.output<typeof ticketData>;

/** The ticket data a pending verification carries for this wish. */
export function secondFactorData(wanted: boolean): { secondFactor: 1 } | undefined {
  return wanted ? { secondFactor: 1 } : undefined;
}

/** Attribute verification codes are valid 24 hours, not configurable (reference "States"). */
export const CODE_TTL_MS = 24 * 60 * 60 * 1000;

/** `SMSMfaSettings` that enrol (or drop) SMS as the user's (preferred) second factor. */
export function smsMfa(enabled: boolean) {
  return { Enabled: enabled, PreferredMfa: enabled };
}

/** What a user read tells of the phone: the number, its verified flag, SMS MFA. */
export interface PhoneView {
  phone: PhoneNumber;
  verified: boolean;
  secondFactor: boolean;
}

/**
 * The phone of a user read: `phone_number` absent (or blank) is none; `phone_number_verified`
 * `"true"` is verified, `"false"` or absent is not. Attributes are looked up by name (their order
 * is not specified). `UserMFASettingList` containing `SMS_MFA` is the second factor.
 */
export function phoneOf(ctx: OperationContext<unknown>, user: CognitoUser): PhoneView | null {
  const attributes = user.UserAttributes ?? [];
  const value = attributes.find((a) => a.Name === 'phone_number')?.Value;
  if (value === undefined || value === '') return null;
  const verified = attributes.find((a) => a.Name === 'phone_number_verified')?.Value === 'true';
  return {
    phone: ctx.storedPhone(value),
    verified,
    secondFactor: (user.UserMFASettingList ?? []).includes('SMS_MFA'),
  };
}

/** Wraps a failure of the MFA step after the number was verified: the number stays, say how to finish. */
export function secondFactorFailed(error: unknown): never {
  if (!(error instanceof PhoneBindingError)) throw error;
  throw new PhoneBindingError({
    code: error.code,
    message:
      'Cognito verified the number but did not enable it as the SMS second factor; bind the number ' +
      `again with secondFactor: true to finish (that sends no SMS). ${error.message}`,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    retryable: error.retryable,
    cause: error,
  });
}
