/**
 * Amazon Cognito user pools adapters: {@link cognito} (the signed-in user's own access token,
 * unsigned calls, runs in browsers) and {@link cognitoAdmin} (IAM credentials, SigV4, server only).
 * @packageDocumentation
 * @module phone-binding/cognito
 */
import { MIN_METADATA } from '../../src/phone.js';
import type { CommonAdapterOptions, Credential, PhoneBinding, ServerSecretOptions } from '../../src/types.js';
import { type AwsCredentials, cognitoAdminAdapter } from './admin.js';
import { cognitoAdapter } from './user.js';

export type { ServerSecretOptions } from '../../src/types.js';
export { type AwsCredentials, COGNITO_ADMIN_CAPABILITIES } from './admin.js';
export { COGNITO_CAPABILITIES, COGNITO_KEEP_ORIGINAL_CAPABILITIES } from './user.js';

/**
 * Options of {@link cognito}. Give `region` or `baseUrl` (or both: `baseUrl` wins).
 *
 * @example
 * ```ts
 * import { type CognitoOptions, cognito } from 'phone-binding/cognito';
 *
 * const options: CognitoOptions = {
 *   region: 'eu-west-1',
 *   accessToken: () => auth.currentAccessToken(), // asked before every request
 *   keepOriginalUntilVerified: true, // the pool keeps the old number until the new one is verified
 * };
 * const phones = cognito(options);
 * ```
 */
export interface CognitoOptions extends Omit<CommonAdapterOptions, 'baseUrl'> {
  /**
   * The Cognito endpoint; default `https://cognito-idp.<region>.amazonaws.com` (`.amazonaws.com.cn`
   * for `cn-` regions). FIPS, dual-stack and proxies only through this option.
   */
  baseUrl?: string;
  /** The user pool's AWS region, e.g. `eu-west-1` (needed unless `baseUrl` is given). */
  region?: string;
  /**
   * The signed-in user's access token (scope `aws.cognito.signin.user.admin`), sent in the body
   * as `AccessToken`. A function is called before every request, so it can refresh.
   */
  accessToken: Credential;
  /**
   * `true` when the pool's `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`
   * holds `phone_number` ("keep original attribute value active when an update is pending"):
   * capabilities then say `change: 'on-verify'`. Default `false` (the API's default), `change: 'immediate'`.
   * The user's token cannot read the pool's settings, so the app tells it.
   */
  keepOriginalUntilVerified?: boolean;
}

/**
 * Cognito user pools acting on the access token's own user (`scope: 'user'`): unsigned
 * `POST /` calls with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` —
 * `UpdateUserAttributes` (sends the code), `VerifyUserAttribute`, `GetUserAttributeVerificationCode`
 * (resend), `GetUser`, `DeleteUserAttributes` and `SetUserMFAPreference` (SMS second factor). No AWS
 * credentials: it runs in browsers as it is.
 *
 * `bind()` reads the user first (the pending result names the number a change replaces; the
 * number the user already has is never set again). Requests that send an SMS or check a code are
 * never repeated. A pool that does not auto-verify phone numbers sends no code: `bind()` then
 * answers the number bound, unverified.
 *
 * @example
 * ```ts
 * import { cognito } from 'phone-binding/cognito';
 * const binding = cognito({ region: 'eu-west-1', accessToken: () => auth.currentAccessToken() });
 * const pending = await binding.bind({ phoneNumber: '+41 79 123 45 67' });
 * ```
 */
export function cognito(options: CognitoOptions): PhoneBinding {
  return cognitoAdapter.create({ metadata: MIN_METADATA, ...options });
}

/**
 * Options of {@link cognitoAdmin}.
 *
 * @example
 * ```ts
 * import { type CognitoAdminOptions, cognitoAdmin } from 'phone-binding/cognito';
 *
 * const options: CognitoAdminOptions = {
 *   userPoolId: 'eu-west-1_AbC123def', // the region comes from the pool id
 *   credentials: async () => myCredentialProvider(), // session credentials rotate: asked per request
 * };
 * const phones = cognitoAdmin(options);
 * ```
 */
export interface CognitoAdminOptions extends Omit<CommonAdapterOptions, 'baseUrl'>, ServerSecretOptions {
  /** The Cognito endpoint; default from the region, as in {@link CognitoOptions.baseUrl}. */
  baseUrl?: string;
  /** The pool's AWS region (also the signing region); default: the prefix of `userPoolId`. */
  region?: string;
  /** The user pool id, `<region>_<id>`. */
  userPoolId: string;
  /**
   * AWS credentials allowed `cognito-idp:AdminUpdateUserAttributes`, `AdminGetUser`,
   * `AdminDeleteUserAttributes` and `AdminSetUserMFAPreference` on the pool, or a function
   * returning them (or a promise of them), called for every attempt.
   */
  credentials: AwsCredentials | (() => AwsCredentials | Promise<AwsCredentials>);
}

/**
 * Cognito user pools acting as admin on any user of the pool (`userId` is the username):
 * SigV4-signed `AdminUpdateUserAttributes` (binds as verified: `phone_number_verified: "true"`),
 * `AdminGetUser`, `AdminDeleteUserAttributes`, `AdminSetUserMFAPreference`. No code flow — nothing
 * can check a code with IAM credentials — so `bind()` needs `verified: true`. Holds AWS
 * credentials, so it refuses to be created in a browser unless `dangerouslyAllowBrowser: true`.
 *
 * @example
 * ```ts
 * import { cognitoAdmin } from 'phone-binding/cognito';
 * const binding = cognitoAdmin({
 *   userPoolId: 'eu-west-1_AbC123def',
 *   credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
 * });
 * await binding.bind({ userId: 'alice', phoneNumber: '+41 79 123 45 67', verified: true });
 * ```
 */
export function cognitoAdmin(options: CognitoAdminOptions): PhoneBinding {
  return cognitoAdminAdapter.create({ metadata: MIN_METADATA, ...options });
}
