/**
 * `phone-binding/etna/core`: the exports of `phone-binding/etna`, whose factories take the
 * phone metadata an app brings (`metadata`: libphonenumber-js `max`, `mobile`, or a country
 * subset) instead of the bundled `min` — an app importing only `/core` entries ships none of it.
 * @packageDocumentation
 * @module phone-binding/etna/core
 */
import type { MetadataOption } from '../../src/phone-core.js';
import type { PhoneBinding } from '../../src/types.js';
import { etnaAdapter } from './adapter.js';
import type { EtnaOptions } from './index.js';

export type { MetadataOption, PhoneMetadata } from '../../src/phone-core.js';
export { ETNA_CAPABILITIES } from './adapter.js';
export type { EtnaOptions } from './index.js';

/**
 * `etna` of `phone-binding/etna` on the phone metadata you bring (`metadata`, required).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/max/metadata';
 * import { type EtnaOptions, etna } from 'phone-binding/etna/core';
 *
 * declare const options: EtnaOptions;
 * const phones = etna({ ...options, metadata });
 * ```
 */
export function etna(options: EtnaOptions & MetadataOption): PhoneBinding {
  return etnaAdapter.create(options);
}
