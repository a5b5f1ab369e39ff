/**
 * Zitadel adapters: {@link zitadel} (user service v2, admin) and {@link zitadelSelf} (auth API v1,
 * the token's own user).
 * @packageDocumentation
 * @module phone-binding/zitadel
 */
export type { ServerSecretOptions } from '../../src/internal/options.js';
export { ZITADEL_SELF_CAPABILITIES, type ZitadelSelfOptions, zitadelSelf } from './auth-self.js';
export { ZITADEL_CAPABILITIES, type ZitadelOptions, zitadel } from './user-service.js';
