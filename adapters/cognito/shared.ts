/** What both Cognito adapters share: the endpoint, the transport (target header, signing), ticket data, attributes. */
import * as z from 'zod/mini';
import { lazy, type OperationContext, PhoneBindingError } from '../../src/kit/index.js';
import type { PhoneNumber, ProviderId } from '../../src/types.js';
import { type CognitoUser, TARGET_PREFIX } from './wire.js';

/** The provider id of `cognito()` (DESIGN `ProviderId`). */
export const COGNITO_ID = 'cognito' as const satisfies ProviderId;
/** The provider id of `cognitoAdmin()`. */
export const COGNITO_ADMIN_ID = 'cognito-admin' as const satisfies ProviderId;

/** `application/x-amz-json-1.1`, the awsJson1_1 protocol's content type (a fixed header). */
export const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * An AWS region name: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-5`.
 * Checked so a typo cannot become another host name.
 */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** A region option: an AWS region name. */
export const regionSchema = lazy(() =>
  z.string().check(z.regex(REGION, { error: 'must be an AWS region name such as us-east-1' })),
);

/**
 * The endpoint of a region (decide 10): `https://cognito-idp.<region>.amazonaws.com`, the China
 * partition's `.amazonaws.com.cn`; FIPS, dual-stack, other partitions and proxies only through
 * `baseUrl`.
 */
export function regionEndpoint(region: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://cognito-idp.${region}.${suffix}`;
}

/**
 * One Cognito call: `POST /` naming its operation in `X-Amz-Target`, its members (in model order)
 * as the body. Spread into `ctx.send({ method: 'POST', path: [], ...call(…), … })`.
 */
export function call(
  operation: string,
  members: Record<string, unknown>,
): { json: Record<string, unknown>; headers: Record<string, string> } {
  return { json: members, headers: { 'x-amz-target': `${TARGET_PREFIX}${operation}` } };
}

/**
 * The ticket data of both adapters: `{ secondFactor: 1 }` when `bind({ secondFactor: true })` asked
 * for SMS MFA once the number is verified; no data otherwise.
 */
export const ticketData = lazy(() => z.optional(z.object({ secondFactor: z.optional(z.literal(1)) })));

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
