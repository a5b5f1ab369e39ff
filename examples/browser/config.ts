/**
 * The browser example's settings, read from `config.json` next to the page, and the adapter each
 * one creates. Only user-scope adapters (or ETNA with the user's own token): nothing here holds a
 * server secret.
 */
import type { PhoneBinding } from 'phone-binding';
import { authing } from 'phone-binding/authing';
import { etna } from 'phone-binding/etna';
import { zitadelSelf } from 'phone-binding/zitadel';

/** The providers the page offers. */
export const BROWSER_PROVIDERS = ['zitadel-self', 'authing', 'etna'] as const;
export type BrowserProvider = (typeof BROWSER_PROVIDERS)[number];

/** Human names for the chooser. */
export const PROVIDER_LABELS: Record<BrowserProvider, string> = {
  'zitadel-self': 'Zitadel (your own account)',
  authing: 'Authing / GenAuth',
  etna: 'ETNA Trader',
};

/**
 * Seconds the page waits before it offers "Resend code", per backend. Authing documents one SMS
 * per number and channel per minute; Zitadel and ETNA document no interval, so the page waits 30 s
 * (a common choice) rather than let people fire SMS at the backend. `config.json` can override it.
 */
export const RESEND_INTERVAL_SECONDS: Record<BrowserProvider, number> = {
  'zitadel-self': 30,
  authing: 60,
  etna: 30,
};

/** `config.json`: one entry per provider the page should offer. */
export interface BrowserExampleConfig {
  /** Which provider the chooser starts on (default: the first configured). */
  provider?: BrowserProvider;
  /** ISO country for numbers typed without `+` (e.g. `"CH"`). */
  defaultCountry?: string;
  /** Seconds before "Resend code" is offered (default: {@link RESEND_INTERVAL_SECONDS}). */
  resendIntervalSeconds?: number;
  providers: {
    'zitadel-self'?: { baseUrl: string; token: string };
    authing?: {
      baseUrl: string;
      appId: string;
      accessToken: string;
      userPoolId?: string;
      brand?: 'authing' | 'genauth';
      authorization?: 'raw' | 'bearer';
    };
    etna?: { baseUrl: string; token: string; appKey: string; userId: string; apiVersion?: string };
  };
}

const REQUIRED: Record<BrowserProvider, readonly string[]> = {
  'zitadel-self': ['baseUrl', 'token'],
  authing: ['baseUrl', 'appId', 'accessToken'],
  etna: ['baseUrl', 'token', 'appKey', 'userId'],
};

/** Checks the parsed `config.json`; throws an `Error` naming the first wrong field. */
export function checkConfig(value: unknown): BrowserExampleConfig {
  if (typeof value !== 'object' || value === null) throw new Error('config.json must hold an object.');
  const config = value as Record<string, unknown>;
  const providers = config.providers;
  if (typeof providers !== 'object' || providers === null) {
    throw new Error('config.json: "providers" is missing.');
  }
  const entries = providers as Record<string, unknown>;
  for (const [name, settings] of Object.entries(entries)) {
    if (!(BROWSER_PROVIDERS as readonly string[]).includes(name)) {
      throw new Error(`config.json: providers.${name} is not one of ${BROWSER_PROVIDERS.join(', ')}.`);
    }
    if (typeof settings !== 'object' || settings === null) {
      throw new Error(`config.json: providers.${name} must be an object.`);
    }
    for (const field of REQUIRED[name as BrowserProvider]) {
      const fieldValue = (settings as Record<string, unknown>)[field];
      if (typeof fieldValue !== 'string' || fieldValue.length === 0) {
        throw new Error(`config.json: providers.${name}.${field} is missing.`);
      }
    }
  }
  if (configuredProviders(config as unknown as BrowserExampleConfig).length === 0) {
    throw new Error('config.json: no provider is configured.');
  }
  if (config.provider !== undefined && entries[config.provider as string] === undefined) {
    throw new Error('config.json: "provider" names a provider that is not configured.');
  }
  if (config.defaultCountry !== undefined && typeof config.defaultCountry !== 'string') {
    throw new Error('config.json: "defaultCountry" must be a string.');
  }
  const interval = config.resendIntervalSeconds;
  if (interval !== undefined && (typeof interval !== 'number' || !(interval >= 0))) {
    throw new Error('config.json: "resendIntervalSeconds" must be a number of seconds.');
  }
  return config as unknown as BrowserExampleConfig;
}

/** The configured providers, in the chooser's order. */
export function configuredProviders(config: BrowserExampleConfig): BrowserProvider[] {
  return BROWSER_PROVIDERS.filter((id) => config.providers[id] !== undefined);
}

/** A configured provider's settings (the chooser offers only configured ones). */
function settingsOf<P extends BrowserProvider>(
  config: BrowserExampleConfig,
  provider: P,
): NonNullable<BrowserExampleConfig['providers'][P]> {
  const settings = config.providers[provider];
  if (settings === undefined) throw new Error(`config.json: providers.${provider} is not configured.`);
  return settings;
}

/** Creates the adapter for `provider`, and the user id its calls need (ETNA only). */
export function createBrowserBinding(
  config: BrowserExampleConfig,
  provider: BrowserProvider,
): { binding: PhoneBinding; userId?: string } {
  switch (provider) {
    case 'zitadel-self': {
      const { baseUrl, token } = settingsOf(config, 'zitadel-self');
      return { binding: zitadelSelf({ baseUrl, token }) };
    }
    case 'authing': {
      const { baseUrl, appId, accessToken, userPoolId, brand, authorization } = settingsOf(config, 'authing');
      return {
        binding: authing({
          baseUrl,
          appId,
          accessToken,
          ...(userPoolId === undefined ? {} : { userPoolId }),
          ...(brand === undefined ? {} : { brand }),
          ...(authorization === undefined ? {} : { authorization }),
        }),
      };
    }
    case 'etna': {
      const { baseUrl, token, appKey, userId, apiVersion } = settingsOf(config, 'etna');
      return {
        binding: etna({ baseUrl, token, appKey, ...(apiVersion === undefined ? {} : { apiVersion }) }),
        userId,
      };
    }
  }
}
