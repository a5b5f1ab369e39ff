import { authingBackend } from './authing/index.js';
import { clerkBackend } from './clerk/index.js';
import { etnaBackend } from './etna/index.js';
import { zitadelBackend } from './zitadel/index.js';

/** Every fake backend. Adding one is adding its folder and a line here. */
export const BACKENDS = {
  zitadel: zitadelBackend,
  etna: etnaBackend,
  authing: authingBackend,
  clerk: clerkBackend,
} as const;

/** Ids of the fake backends. */
export type FakeBackendId = keyof typeof BACKENDS;
