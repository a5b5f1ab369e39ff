/** Amazon Cognito user pools wire shapes (awsJson1_1, API 2016-04-18): the answers both adapters read. */
import * as z from 'zod/mini';
import { lazy } from '../../src/kit/index.js';

/** `AWSCognitoIdentityProviderService.<Operation>`, the `X-Amz-Target` of every call. */
export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/** An attribute as Cognito sends it: `{ Name, Value }`, values are strings (`"true"`). */
const attribute = lazy(() => z.object({ Name: z.string(), Value: z.optional(z.string()) }));

/**
 * AdminGetUser, as far as the phone goes: `Username` is the one member the model requires;
 * `UserAttributes` absent reads as none; `UserMFASettingList` optional.
 */
export const adminUserSchema = lazy(() =>
  z.object({
    Username: z.string(),
    UserAttributes: z.optional(z.array(attribute)),
    UserMFASettingList: z.optional(z.array(z.string())),
  }),
);

/**
 * GetUser: the model requires `Username` and `UserAttributes` — an answer without them is not
 * one the user's own read can come back with (invalid_response).
 */
export const userSchema = lazy(() =>
  z.object({
    Username: z.string(),
    UserAttributes: z.array(attribute),
    UserMFASettingList: z.optional(z.array(z.string())),
  }),
);

/** What {@link userSchema} and {@link adminUserSchema} yield. */
export type CognitoUser = z.output<typeof adminUserSchema>;

/**
 * One `CodeDeliveryDetailsType` (every member optional in the model). Decide 14: `Destination`
 * (Cognito's masked number, format undocumented) is never read — the adapter names the number it
 * sent itself; `AttributeName` alone tells that the phone's code went out.
 */
const delivery = lazy(() =>
  z.object({
    Destination: z.optional(z.string()),
    DeliveryMedium: z.optional(z.string()),
    AttributeName: z.optional(z.string()),
  }),
);

/** UpdateUserAttributes: `CodeDeliveryDetailsList` only when the pool auto-verifies the attribute. */
export const updateSchema = lazy(() => z.object({ CodeDeliveryDetailsList: z.optional(z.array(delivery)) }));

/** GetUserAttributeVerificationCode. */
export const resendSchema = lazy(() => z.object({ CodeDeliveryDetails: z.optional(delivery) }));

/** Every other answer here is `{}` (any object is accepted). */
export const emptySchema = lazy(() => z.object({}));
