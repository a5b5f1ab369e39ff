/**
 * The browser example in a real Chromium: the page, bundled by esbuild, served from one loopback
 * origin, talks across origins (CORS) to the fake backends on another. `npm run test:e2e`.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildBrowserExample } from '../../examples/browser/build.js';
import type { BrowserExampleConfig, BrowserProvider } from '../../examples/browser/config.js';
import { ERROR_MESSAGES } from '../../examples/browser/messages.js';
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
const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/** A tiny static server for the built page and a `config.json` made for this run. */
async function serveSite(
  dir: string,
  config: BrowserExampleConfig,
): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, { file?: string; body?: string; type: string }> = {
    '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
    '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
    '/main.js': { file: 'main.js', type: 'text/javascript; charset=utf-8' },
    '/main.js.map': { file: 'main.js.map', type: 'application/json' },
    '/config.json': { body: JSON.stringify(config), type: 'application/json' },
  };
  const server: Server = createServer(async (req, res) => {
    const entry = files[new URL(req.url ?? '/', 'http://localhost').pathname];
    if (!entry || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = entry.body ?? (await readFile(join(dir, entry.file!)));
    res.writeHead(200, { 'content-type': entry.type, 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A code that is certainly not `code` (same length; Zitadel's alphabet has no 0 or 1). */
function wrongCode(code: string): string {
  const wrong = '0'.repeat(code.length);
  return wrong === code ? '1'.repeat(code.length) : wrong;
}

let fakes: FakeBackends;
let fakeServer: FakeServer | undefined;
let site: { url: string; close(): Promise<void> } | undefined;
let browser: Browser | undefined;
let buildDir: string | undefined;
const users = {} as Record<BrowserProvider, { userId: string }>;

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
  const zitadelUser = fakes.zitadel.createUser();
  const authingUser = fakes.authing.createUser();
  const etnaUser = fakes.etna.createUser();
  users['zitadel-self'] = zitadelUser;
  users.authing = authingUser;
  users.etna = etnaUser;

  site = await serveSite(buildDir, {
    provider: 'zitadel-self',
    providers: {
      'zitadel-self': { baseUrl: fakeServer.urls.zitadel, token: zitadelUser.token },
      authing: {
        baseUrl: fakeServer.urls.authing,
        appId: fakes.authing.appId,
        accessToken: authingUser.token,
      },
      etna: {
        baseUrl: fakeServer.urls.etna,
        token: etnaUser.token,
        appKey: fakes.etna.appKey,
        userId: etnaUser.userId,
      },
    },
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await fakeServer?.close();
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
});

beforeEach(async () => {
  context = await browser!.newContext({ viewport: { width: 760, height: 900 } });
  page = await context.newPage();
  pageErrors = [];
  consoleLines = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  await page.goto(site!.url);
  await page.locator('[data-testid="status"][data-phase="ready"]').waitFor();
});

afterEach(async () => {
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

async function sendCode(provider: BrowserProvider, phoneNumber: string) {
  await page.getByTestId('provider').selectOption(provider);
  await page.getByTestId('phone').fill(phoneNumber);
  return statusAfter('sending', () => page.getByTestId('send').click());
}

async function submitCode(code: string) {
  await page.getByTestId('code').fill(code);
  return statusAfter('verifying', () => page.getByTestId('verify').click());
}

const FLOWS: Array<{
  provider: BrowserProvider;
  typed: string;
  e164: string;
  stored: () => unknown;
  expected: Record<string, unknown>;
}> = [
  {
    provider: 'zitadel-self',
    typed: '+41 79 123 45 67',
    e164: '+41791234567',
    stored: () => fakes.zitadel.user(users['zitadel-self'].userId),
    expected: { phone: '+41791234567', isVerified: true },
  },
  {
    provider: 'authing',
    typed: '+86 188 0000 8888',
    e164: '+8618800008888',
    stored: () => fakes.authing.user(users.authing.userId),
    expected: { phone: '18800008888', phoneCountryCode: '+86', phoneVerified: true },
  },
  {
    provider: 'etna',
    typed: '+1 (310) 890-4569',
    e164: '+13108904569',
    stored: () => fakes.etna.user(users.etna.userId),
    expected: { phone: '+13108904569', state: 'Active' },
  },
];

describe('browser example in Chromium', () => {
  for (const flow of FLOWS) {
    it(`${flow.provider}: send code → wrong code → right code → verified`, async () => {
      const sent = await sendCode(flow.provider, flow.typed);
      expect(sent).toMatchObject({ phase: 'code-sent' });
      const code = fakes.lastCode(flow.e164);
      expect(code).toBeDefined();

      // The error path: a wrong code shows the invalid_code sentence, and the number stays unverified.
      const wrong = await submitCode(wrongCode(code!));
      expect(wrong).toEqual({ phase: 'error', text: ERROR_MESSAGES.invalid_code, errorCode: 'invalid_code' });
      expect(await page.getByTestId('phone-state').getAttribute('data-state')).toBe('pending');

      const right = await submitCode(code!);
      expect(right.phase).toBe('verified');
      await page.locator('[data-testid="phone-state"][data-state="verified"]').waitFor();
      expect(await page.getByTestId('phone-state').textContent()).toBe('verified');
      expect(flow.stored()).toMatchObject(flow.expected);

      await page.screenshot({ path: join(ARTIFACTS, `verified-${flow.provider}.png`), fullPage: true });
      if (flow.provider === 'zitadel-self') {
        await page.screenshot({ path: join(ARTIFACTS, 'verified.png'), fullPage: true });
      }
    });
  }

  it('shows "Please wait N seconds" for a 429 with Retry-After (a header read across origins)', async () => {
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
  });

  it('refuses a bad number before any request', async () => {
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
    await page.screenshot({ path: join(ARTIFACTS, 'server-only-refused.png'), fullPage: true });
  });
});
