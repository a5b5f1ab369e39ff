import { zitadelBackend } from './zitadel/index.js';

/** Every fake backend. Adding one is adding its folder and a line here. */
export const BACKENDS = {
  zitadel: zitadelBackend,
} as const;

/** Ids of the fake backends. */
export type FakeBackendId = keyof typeof BACKENDS;
