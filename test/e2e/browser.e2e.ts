/**
 * The browser example in a real Chromium: the page, bundled by esbuild, served from one loopback
 * origin, talks across origins (CORS) to the fake backends on another. Every page load gets
 * fresh users (config.json is made per test). The page's clock is Playwright's fake clock, so the
 * resend and 429 countdowns are jumped over, never waited for. `npm run test:e2e`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildBrowserExample } from '../../examples/browser/build.js';
import { type BrowserProvider, RESEND_INTERVAL_SECONDS } from '../../examples/browser/config.js';
import { ERROR_MESSAGES } from '../../examples/browser/messages.js';
import { type SampleSetup, type Site, sampleConfig, serveSite } from '../../examples/browser/serve.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../../src/testing/index.js';

// What works on this machine's Debian Chromium (see the README of the machine): no sandbox as
// root, no GPU, and none of Chromium's own background connections. Playwright gives every launch
// a fresh, empty profile directory of its own (it refuses --user-data-dir in `launch()`).
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots: one file per state and width, the folder emptied first (no stale duplicates). */
const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

/** A code that is certainly not `code` (same length; Zitadel's alphabet has no 0 or 1). */
function wrongCode(code: string): string {
  const wrong = '0'.repeat(code.length);
  return wrong === code ? '1'.repeat(code.length) : wrong;
}

let fakes: FakeBackends;
let fakeServer: FakeServer | undefined;
let site: Site | undefined;
let browser: Browser | undefined;
let buildDir: string | undefined;
let setup: SampleSetup;

let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let consoleLines: string[];

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'phone-binding-browser-'));
  const built = await buildBrowserExample(buildDir);
  expect(built.inputs.some((input) => input.startsWith('node:') || input.includes('/msw/'))).toBe(false);
  fakes = createFakeBackends();
  fakeServer = await fakes.listen();
  site = await serveSite(buildDir, () => setup.config, fakes);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await fakeServer?.close();
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
});

beforeEach(async () => {
  if (!fakeServer) throw new Error('the fakes are not listening');
  setup = sampleConfig(fakes, fakeServer);
  context = await browser!.newContext({ viewport: DESKTOP });
  page = await context.newPage();
  pageErrors = [];
  consoleLines = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  // Fake time in the page: it runs on its own, and the tests jump it forward past the waits.
  await page.clock.install();
  await page.goto(site!.url);
  await page.locator('[data-testid="status"][data-phase="ready"]').waitFor();
});

afterEach(async () => {
  fakes.clearFaults();
  await context.close();
  expect(pageErrors, `uncaught errors in the page; console:\n${consoleLines.join('\n')}`).toEqual([]);
});

/**
 * Runs `action`, then waits until the status line has changed and left `busyPhase` (no sleeping:
 * the page bumps `data-seq` on every status change), and returns what it shows.
 */
async function statusAfter(
  busyPhase: string,
  action: () => Promise<void>,
): Promise<{ phase: string; text: string; errorCode?: string }> {
  const status = page.getByTestId('status');
  const before = Number(await status.getAttribute('data-seq'));
  await action();
  await page.waitForFunction(
    ([seq, busy]) => {
      const element = document.querySelector<HTMLElement>('[data-testid="status"]');
      return element !== null && Number(element.dataset.seq) > seq && element.dataset.phase !== busy;
    },
    [before, busyPhase] as const,
  );
  const phase = (await status.getAttribute('data-phase')) ?? '';
  const text = (await status.textContent()) ?? '';
  const errorCode = (await status.getAttribute('data-error-code')) ?? undefined;
  return errorCode === undefined ? { phase, text } : { phase, text, errorCode };
}

async function choose(provider: BrowserProvider): Promise<void> {
  if ((await page.getByTestId('provider').inputValue()) === provider) return;
  const status = await statusAfter('loading', async () => {
    await page.getByTestId('provider').selectOption(provider);
  });
  expect(status.phase).toBe('ready');
}

async function sendCode(provider: BrowserProvider, phoneNumber: string) {
  await choose(provider);
  await page.getByTestId('phone').fill(phoneNumber);
  return statusAfter('sending', () => page.getByTestId('send').click());
}

async function submitCode(code: string) {
  await page.getByTestId('code').fill(code);
  return statusAfter('verifying', () => page.getByTestId('verify').click());
}

/** Waits until `testid`'s button is enabled (or disabled) and answers its label. */
async function buttonWhen(testid: string, enabled: boolean): Promise<string> {
  await page.waitForFunction(
    ([id, on]) => {
      const button = document.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`);
      return button !== null && button.disabled !== on;
    },
    [testid, enabled] as const,
  );
  return (await page.getByTestId(testid).textContent()) ?? '';
}

async function verifyNumber(provider: BrowserProvider, typed: string, e164: string): Promise<void> {
  expect(await sendCode(provider, typed)).toMatchObject({ phase: 'code-sent' });
  const code = fakes.lastCode(e164);
  expect(code).toBeDefined();
  expect((await submitCode(code!)).phase).toBe('verified');
}

const FLOWS: Array<{
  provider: BrowserProvider;
  typed: string;
  e164: string;
  shown: string;
  stored: () => unknown;
  expected: Record<string, unknown>;
}> = [
  {
    provider: 'zitadel-self',
    // National format: defaultCountry "CH" from the sample config reads it as Swiss.
    typed: '079 123 45 67',
    e164: '+41791234567',
    shown: '+41 79 123 45 67',
    stored: () => fakes.zitadel.user(setup.users['zitadel-self'].userId),
    expected: { phone: '+41791234567', isVerified: true },
  },
  {
    provider: 'authing',
    typed: '+86 188 0000 8888',
    e164: '+8618800008888',
    shown: '+86 188 0000 8888',
    stored: () => fakes.authing.user(setup.users.authing.userId),
    expected: { phone: '18800008888', phoneCountryCode: '+86', phoneVerified: true },
  },
  {
    provider: 'etna',
    typed: '+1 (310) 890-4569',
    e164: '+13108904569',
    shown: '+1 310 890 4569',
    stored: () => fakes.etna.user(setup.users.etna.userId),
    expected: { phone: '+13108904569', state: 'Active' },
  },
];

describe('browser example in Chromium', () => {
  for (const flow of FLOWS) {
    it(`${flow.provider}: send code → wrong code → right code → verified, the number shown in full`, async () => {
      const sent = await sendCode(flow.provider, flow.typed);
      expect(sent).toEqual({ phase: 'code-sent', text: `We sent a code to ${flow.shown}. Type it below.` });
      expect(await page.getByTestId('phone-state').getAttribute('data-state')).toBe('pending');
      const code = fakes.lastCode(flow.e164);
      expect(code).toBeDefined();

      // The error path: a wrong code shows the invalid_code sentence, and the number stays unverified.
      const wrong = await submitCode(wrongCode(code!));
      expect(wrong).toEqual({ phase: 'error', text: ERROR_MESSAGES.invalid_code, errorCode: 'invalid_code' });
      expect(await page.getByTestId('phone-state').getAttribute('data-state')).toBe('pending');

      const right = await submitCode(code!);
      expect(right.phase).toBe('verified');
      await page.locator('[data-testid="phone-state"][data-state="verified"]').waitFor();
      expect(await page.getByTestId('phone-number').textContent()).toBe(flow.shown);
      expect(flow.stored()).toMatchObject(flow.expected);
    });
  }

  it('resend: a countdown from the resend interval, then a new code that verifies', async () => {
    const interval = RESEND_INTERVAL_SECONDS['zitadel-self'];
    expect(await sendCode('zitadel-self', '+41 79 123 45 67')).toMatchObject({ phase: 'code-sent' });
    expect(await buttonWhen('resend', false)).toBe(`Resend code (0:${interval})`);

    await page.clock.fastForward((interval - 1) * 1000);
    await page.locator('[data-testid="resend"][data-wait-seconds="1"]').waitFor();
    expect(await buttonWhen('resend', false)).toBe('Resend code (0:01)');

    await page.clock.fastForward(1000);
    expect(await buttonWhen('resend', true)).toBe('Resend code');
    const sms = fakes.outbox.length;
    const resent = await statusAfter('resending', () => page.getByTestId('resend').click());
    expect(resent).toMatchObject({ phase: 'code-sent' });
    expect(fakes.outbox.length).toBe(sms + 1);
    // The wait starts over for the next resend.
    expect(await buttonWhen('resend', false)).toBe(`Resend code (0:${interval})`);

    expect((await submitCode(fakes.lastCode('+41791234567')!)).phase).toBe('verified');
    expect(await page.getByTestId('resend').isVisible()).toBe(false);
  });

  it('after a 429 with Retry-After, "Send code" stays disabled until the wait is over', async () => {
    fakes.injectFault({
      backend: 'zitadel',
      method: 'PUT',
      status: 429,
      headers: { 'retry-after': '30' },
      body: { code: 8, message: 'Resource exhausted' },
    });
    const status = await sendCode('zitadel-self', '+41 79 765 43 21');
    expect(status).toMatchObject({ phase: 'error', errorCode: 'rate_limited' });
    expect(status.text).toContain('Please wait 30 seconds');
    expect(await buttonWhen('send', false)).toBe('Send code (0:30)');

    await page.clock.fastForward(29_000);
    expect(await buttonWhen('send', false)).toMatch(/^Send code \(0:0[12]\)$/);
    await page.clock.fastForward(1_000);
    expect(await buttonWhen('send', true)).toBe('Send code');
    expect(await statusAfter('sending', () => page.getByTestId('send').click())).toMatchObject({
      phase: 'code-sent',
    });
  });

  it('zitadel-self: change the number, then remove it', async () => {
    await verifyNumber('zitadel-self', '+41 79 123 45 67', '+41791234567');
    await page.getByTestId('change').click();
    await page.getByTestId('phone').fill('+41 78 555 12 34');
    expect(await statusAfter('sending', () => page.getByTestId('send').click())).toMatchObject({
      phase: 'code-sent',
    });
    expect(await page.getByTestId('phone-number').textContent()).toBe('+41 78 555 12 34');
    expect((await submitCode(fakes.lastCode('+41785551234')!)).phase).toBe('verified');
    const user = setup.users['zitadel-self'].userId;
    expect(fakes.zitadel.user(user)).toMatchObject({ phone: '+41785551234', isVerified: true });

    const removed = await statusAfter('removing', () => page.getByTestId('remove').click());
    expect(removed).toEqual({ phase: 'removed', text: 'Your number was removed.' });
    expect(await page.getByTestId('current').isVisible()).toBe(false);
    expect(await page.getByTestId('phone').isVisible()).toBe(true);
    expect(fakes.zitadel.user(user)).toMatchObject({ phone: '', isVerified: false });
  });

  it('authing: removing asks for a code sent to the number first', async () => {
    // The fakes live across tests: a number no other test binds (a bound one is phone_in_use).
    await verifyNumber('authing', '+86 139 1234 5678', '+8613912345678');
    const asked = await statusAfter('removing', () => page.getByTestId('remove').click());
    expect(asked).toEqual({
      phase: 'code-sent',
      text: 'We sent a code to +86 139 1234 5678. Type it to confirm the removal.',
    });
    await page.getByTestId('code').fill(fakes.lastCode('+8613912345678')!);
    const removed = await statusAfter('removing', () => page.getByTestId('verify').click());
    expect(removed.phase).toBe('removed');
    expect(fakes.authing.user(setup.users.authing.userId)).toMatchObject({
      phone: null,
      phoneVerified: false,
    });
  });

  it('loads the number the account already has, and "Keep my number" cancels a change', async () => {
    await verifyNumber('etna', '+1 (310) 890-4569', '+13108904569');
    await page.reload();
    await page.locator('[data-testid="status"][data-phase="ready"]').waitFor();
    await choose('etna');
    expect(await page.getByTestId('phone-number').textContent()).toBe('+1 310 890 4569');
    expect(await page.getByTestId('phone-state').getAttribute('data-state')).toBe('verified');
    await page.getByTestId('change').click();
    expect(await page.getByTestId('phone').isVisible()).toBe(true);
    await page.getByTestId('cancel').click();
    expect(await page.getByTestId('phone').isVisible()).toBe(false);
    expect(await page.getByTestId('change').isVisible()).toBe(true);
  });

  it('the card holds no developer text; screenshots at desktop and phone width', async () => {
    const card = (await page.locator('main.card').textContent()) ?? '';
    for (const developerWord of ['phone-binding', 'config.json', 'adapter', 'Zitadel', 'provider']) {
      expect(card).not.toContain(developerWord);
    }
    await verifyNumber('zitadel-self', '+41 79 123 45 67', '+41791234567');
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-verified.png'), fullPage: true });

    await page.setViewportSize(PHONE);
    await page.getByTestId('change').click();
    await page.getByTestId('phone').fill('+41 78 555 12 34');
    await statusAfter('sending', () => page.getByTestId('send').click());
    // Nothing wider than the phone's screen: no sideways scrolling at 375 px.
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      card: document.querySelector('main.card')?.getBoundingClientRect().right ?? Number.POSITIVE_INFINITY,
    }));
    expect(widths.page).toBeLessThanOrEqual(PHONE.width);
    expect(widths.card).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-code-sent.png'), fullPage: true });
  });

  it('refuses a bad number before any request', async () => {
    await choose('etna');
    const before = fakes.requests.length;
    const status = await sendCode('etna', '12');
    expect(status).toEqual({
      phase: 'error',
      text: ERROR_MESSAGES.invalid_phone_number,
      errorCode: 'invalid_phone_number',
    });
    expect(fakes.requests.length).toBe(before);
  });

  it('clerk() and zitadel() refuse to be created in the browser, naming dangerouslyAllowBrowser', async () => {
    await page.getByTestId('try-server-only').click();
    for (const adapter of ['clerk', 'zitadel']) {
      const item = page.getByTestId(`refusal-${adapter}`);
      await item.waitFor();
      const text = (await item.textContent()) ?? '';
      expect(text).toContain(`${adapter}() holds a server secret`);
      expect(text).toContain('dangerouslyAllowBrowser');
    }
  });
});
