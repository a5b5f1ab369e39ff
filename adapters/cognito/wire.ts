/** Amazon Cognito user pools wire shapes (awsJson1_1, API 2016-04-18): the answers both adapters read. */
import * as z from 'zod/mini';

/** `AWSCognitoIdentityProviderService.<Operation>`, the `X-Amz-Target` of every call. */
export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/**
 * The body key that carries the operation name from an adapter's request to the transport
 * (`shared.ts`), which removes it and sends it as `X-Amz-Target` — the kit's `RequestSpec` has no
 * per-request headers, and Cognito's one path `/` says nothing of the operation.
 */
export const TARGET_KEY = '@target';

/** An attribute as Cognito sends it: `{ Name, Value }`, values are strings (`"true"`). */
const attribute = z.object({ Name: z.string(), Value: z.optional(z.string()) });

/**
 * GetUser / AdminGetUser, as far as the phone goes: `UserAttributes` (required by the model for
 * GetUser, optional for AdminGetUser — absent reads as none), `UserMFASettingList` optional.
 */
export const userSchema = z.object({
  Username: z.optional(z.string()),
  UserAttributes: z.optional(z.array(attribute)),
  UserMFASettingList: z.optional(z.array(z.string())),
});

/** What {@link userSchema} yields. */
export type CognitoUser = z.output<typeof userSchema>;

/** One `CodeDeliveryDetailsType` (every member optional in the model). */
const delivery = z.object({
  Destination: z.optional(z.string()),
  DeliveryMedium: z.optional(z.string()),
  AttributeName: z.optional(z.string()),
});

/** UpdateUserAttributes: `CodeDeliveryDetailsList` only when the pool auto-verifies the attribute. */
export const updateSchema = z.object({ CodeDeliveryDetailsList: z.optional(z.array(delivery)) });

/** GetUserAttributeVerificationCode. */
export const resendSchema = z.object({ CodeDeliveryDetails: z.optional(delivery) });

/** Every other answer here is `{}` (any object is accepted). */
export const emptySchema = z.object({});
