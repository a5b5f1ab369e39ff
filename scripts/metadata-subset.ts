/**
 * Phone metadata for a few countries, derived from the metadata libphonenumber-js ships (`min`,
 * `max` or `mobile`): its entries for those countries and their calling codes, nothing else.
 *
 *   npx tsx scripts/metadata-subset.ts max CH DE US GB CN > metadata.json
 *
 * Why derived, not generated: libphonenumber-js's own generator reads Google's
 * PhoneNumberMetadata.xml, which CI here cannot download; the shipped JSON already holds every
 * country's rules, so keeping a subset of it gives the same per-country data the generator would
 * (for the same libphonenumber-js version) without a fixture that goes stale on upgrades.
 */
import { pathToFileURL } from 'node:url';
import type { MetadataJson } from 'libphonenumber-js/core';

/** `metadata` cut down to `countries` (ISO 3166-1 alpha-2); throws for a country it lacks. */
export function metadataSubset(metadata: MetadataJson, countries: readonly string[]): MetadataJson {
  const wanted = new Set(countries);
  const table = metadata.countries as Record<string, unknown>;
  for (const country of wanted) {
    if (!(country in table)) throw new Error(`the metadata has no country ${country}`);
  }
  const callingCodes: Record<string, string[]> = {};
  for (const [code, owners] of Object.entries(metadata.country_calling_codes as Record<string, string[]>)) {
    const kept = owners.filter((country) => wanted.has(country));
    if (kept.length > 0) callingCodes[code] = kept;
  }
  return {
    version: metadata.version,
    country_calling_codes: callingCodes,
    countries: Object.fromEntries([...wanted].map((country) => [country, table[country]])),
  } as unknown as MetadataJson;
}

/** The five countries the size budget and the tests use. */
export const FIVE_COUNTRIES = ['CH', 'DE', 'US', 'GB', 'CN'] as const;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [kind = 'max', ...countries] = process.argv.slice(2);
  const source = (await import(`libphonenumber-js/${kind}/metadata`)) as { default: MetadataJson };
  process.stdout.write(`${JSON.stringify(metadataSubset(source.default, countries))}\n`);
}
