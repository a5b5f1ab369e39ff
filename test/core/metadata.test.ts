/**
 * The `/core` twins (DESIGN "Phone metadata"): the same exports, factories that take the phone
 * metadata an app brings. Every adapter of the registry, through its entry's twin.
 */
import max from 'libphonenumber-js/max/metadata';
import { describe, expect, it } from 'vitest';
import * as allCore from '../../adapters/all/core.js';
import { ENTRIES } from '../../adapters/registry.js';
import { FIVE_COUNTRIES, metadataSubset } from '../../scripts/metadata-subset.js';
import * as core from '../../src/core.js';
import { isPhoneBindingError, type PhoneBinding } from '../../src/index.js';
import { factoryName } from '../../src/kit/define.js';
import { createFakeBackends, fakeTargets } from '../../src/testing/index.js';
import { rejection, thrown } from '../support/rejection.js';

const FIVE = metadataSubset(max, FIVE_COUNTRIES);
type Factory = (options: Record<string, unknown>) => PhoneBinding;

async function factoriesOf(
  subpath: string,
): Promise<{ core: Record<string, unknown>; plain: Record<string, unknown> }> {
  return {
    core: (await import(`../../adapters/${subpath}/core.ts`)) as Record<string, unknown>,
    plain: (await import(`../../adapters/${subpath}/index.ts`)) as Record<string, unknown>,
  };
}

describe('the /core twin of every adapter entry', () => {
  it.each(ENTRIES.map((entry) => [entry.subpath, entry] as const))(
    'phone-binding/%s/core: the same exports; factories need metadata and use only it',
    async (subpath, entry) => {
      const { core: twin, plain } = await factoriesOf(subpath);
      expect(Object.keys(twin).sort()).toEqual(Object.keys(plain).sort());
      for (const provider of entry.providers) {
        const factory = twin[factoryName(provider)] as Factory;
        const target = fakeTargets().find((candidate) => candidate.provider === provider);
        if (!target) throw new Error(`no fake target for ${provider}`);
        const fakes = createFakeBackends();
        const { config, userId } = target.setup(fakes);
        const { provider: _, ...options } = config;
        const user = userId === undefined ? {} : { userId };
        // No metadata: refused at creation, naming the option.
        expect(thrown(() => factory({ ...options, fetch: fakes.fetch })).message).toMatch(
          /metadata is missing/,
        );
        expect(thrown(() => factory({ ...options, metadata: { not: 'metadata' } })).message).toMatch(
          /metadata must be libphonenumber-js metadata/,
        );
        const phones = factory({ ...options, fetch: fakes.fetch, metadata: FIVE });
        const verified = !phones.capabilities.codeVerification;
        // A country outside the subset is not a number this app serves: refused before any request.
        const before = fakes.requests.length;
        const outside = await rejection(phones.bind({ ...user, phoneNumber: '+33 6 12 34 56 78', verified }));
        expect(outside.code).toBe('invalid_phone_number');
        expect(fakes.requests.length).toBe(before);
        const inside = await phones.bind({
          ...user,
          phoneNumber: '079 123 45 67',
          defaultCountry: 'CH',
          verified,
        });
        expect(inside.phone).toEqual({
          e164: '+41791234567',
          countryCallingCode: '41',
          nationalNumber: '791234567',
          country: 'CH',
        });
        // The default entry's factory reads the same French number (it carries `min`).
        const plainFactory = plain[factoryName(provider)] as Factory;
        const french = await plainFactory({ ...options, fetch: fakes.fetch })
          .bind({ ...user, phoneNumber: '+33 6 12 34 56 78', verified })
          .then(
            (result) => result.phone.e164,
            (error: unknown) => (isPhoneBindingError(error) ? error.code : 'thrown'),
          );
        expect(french).not.toBe('invalid_phone_number');
      }
    },
  );

  it('phone-binding/core: normalizePhoneNumber takes the metadata; maskPhoneNumber uses it when given', () => {
    expect(core.normalizePhoneNumber('(079) 123 45 67', { defaultCountry: 'CH', metadata: FIVE }).e164).toBe(
      '+41791234567',
    );
    expect(thrown(() => core.normalizePhoneNumber('+33 6 12 34 56 78', { metadata: FIVE })).code).toBe(
      'invalid_phone_number',
    );
    expect(
      thrown(() => core.normalizePhoneNumber('0612345678', { defaultCountry: 'FR', metadata: FIVE })).code,
    ).toBe('invalid_input');
    expect(core.maskPhoneNumber('+41791234567', FIVE)).toBe('+41 ••• •• 67');
    expect(core.maskPhoneNumber('+41791234567')).toBe('••• •• 67');
  });

  it('phone-binding/all/core: createPhoneBinding takes metadata in the config', async () => {
    const fakes = createFakeBackends();
    const { userId } = fakes.zitadel.createUser();
    const config = {
      provider: 'zitadel' as const,
      baseUrl: fakes.urls.zitadel,
      token: fakes.zitadel.adminToken,
      fetch: fakes.fetch,
    };
    expect(thrown(() => allCore.createPhoneBinding(config as never)).message).toMatch(/metadata is missing/);
    const phones = allCore.createPhoneBinding({ ...config, metadata: FIVE });
    expect(await rejection(phones.bind({ userId, phoneNumber: '+33 6 12 34 56 78' }))).toMatchObject({
      code: 'invalid_phone_number',
    });
  });

  it('the subset holds exactly the five countries and their calling codes', () => {
    expect(Object.keys(FIVE.countries).sort()).toEqual([...FIVE_COUNTRIES].sort());
    expect(FIVE.country_calling_codes).toEqual({
      '1': ['US'],
      '41': ['CH'],
      '44': ['GB'],
      '49': ['DE'],
      '86': ['CN'],
    });
    expect(() => metadataSubset(max, ['XX'])).toThrow(/no country XX/);
  });
});
