/** ETNA Trader (Trading API) wire shapes: schemas of the answers the adapter reads. */
import * as z from 'zod/mini';
import { lazy } from '../../src/kit/index.js';

/** Largest int32: ETNA's user ids and token ids are .NET `Int32`s. */
export const INT32_MAX = 2_147_483_647;

/** `PhoneNumberState`. */
export const stateSchema = lazy(() => z.enum(['NotLinked', 'Active', 'Suspended', 'NotVerified']));

/** A PhoneNumberModel, as verify and get answer it. */
export const phoneModel = lazy(() =>
  z.object({ PhoneNumber: z.nullish(z.string()), PhoneNumberState: stateSchema }),
);

/** The bind answer: a serialized .NET `Tuple<PhoneNumberModel, Int32>`; `m_Item2` is the token id. */
export const bindSchema = lazy(() =>
  z.object({
    m_Item1: phoneModel,
    // An int32 token id; anything else could never be verified.
    m_Item2: z.int().check(z.gte(0), z.lte(INT32_MAX)),
  }),
);

/** An ETNA PhoneNumberModel. */
export type EtnaPhone = z.infer<typeof phoneModel>;
