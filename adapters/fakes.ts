/**
 * The fake backend of each entry of the registry (the test kit mounts each at `/<id>`). Apart
 * from ./registry.ts so that the entries that read the registry (`phone-binding/all`) do not
 * load the fakes: see the registry's header.
 */
import { authingBackend } from './authing/fake.js';
import { clerkBackend } from './clerk/fake.js';
import { cognitoBackend } from './cognito/fake.js';
import { etnaBackend } from './etna/fake.js';
import type { ENTRIES } from './registry.js';
import { supabaseBackend } from './supabase/fake.js';
import { zitadelBackend } from './zitadel/fake.js';

/** The fake backend of each entry (the test kit mounts each at `/<id>`). */
export const FAKES = {
  etna: etnaBackend,
  authing: authingBackend,
  zitadel: zitadelBackend,
  clerk: clerkBackend,
  supabase: supabaseBackend,
  cognito: cognitoBackend,
} as const satisfies { readonly [F in (typeof ENTRIES)[number]['fake']]: unknown };
