/**
 * `npm run example:browser`: builds the page, starts the fake backends on 127.0.0.1, writes a
 * `config.json` for a fresh user on each of them, and serves it all on another loopback port,
 * printing the URL. The fakes' SMS land in a "fake phone" page (`/fake-sms`) instead of a real
 * phone. Ctrl-C stops it. The end-to-end test reuses {@link serveSite}.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// Node-side tooling (like build.ts), imported by the e2e test too: relative imports, which every
// runner resolves without the tsconfig paths the page's bundle uses.
import { maskPhoneNumber } from '../../src/index.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../../src/testing/index.js';
import { buildBrowserExample } from './build.js';
import type { BrowserExampleConfig } from './config.js';

/** A running static site. */
export interface Site {
  url: string;
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Serves the built page from `dir` on 127.0.0.1 (any free port) with `config()` as
 * `/config.json` (read on every request, so a test can hand each page load a fresh user), and,
 * with `fakes`, their outbox as `/fake-sms`.
 */
export async function serveSite(
  dir: string,
  config: () => BrowserExampleConfig,
  fakes?: FakeBackends,
): Promise<Site> {
  const files: Record<string, { file: string; type: string }> = {
    '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
    '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
    '/main.js': { file: 'main.js', type: 'text/javascript; charset=utf-8' },
    '/main.js.map': { file: 'main.js.map', type: 'application/json' },
  };
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (type: string, body: string | Buffer) =>
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed');
    } else if (path === '/config.json') {
      send('application/json', JSON.stringify(config(), null, 2));
    } else if (path === '/fake-sms' && fakes) {
      send('text/html; charset=utf-8', fakePhonePage(fakes));
    } else if (files[path]) {
      const entry = files[path];
      send(entry.type, await readFile(join(dir, entry.file)));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}

/** The simulated phone: newest SMS first, the recipient masked (it is a shared screen). */
function fakePhonePage(fakes: FakeBackends): string {
  const items = [...fakes.outbox]
    .reverse()
    .map(
      (sms) =>
        `<li><b>${escapeHtml(sms.code)}</b> to ${escapeHtml(maskPhoneNumber(sms.to))} (${escapeHtml(sms.provider)}, ${escapeHtml(sms.sentAt)})</li>`,
    )
    .join('');
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Fake SMS</title>
<h1>Fake SMS</h1><p>What the fake backends "sent" (refreshes every 3 s).</p><ul>${items || '<li>none yet</li>'}</ul>`;
}

/** A fresh user on each browser backend, and the sample `config.json` acting for them. */
export interface SampleSetup {
  config: BrowserExampleConfig;
  /** The backends' ids of the users (to look them up in the fakes). */
  users: Record<'zitadel-self' | 'authing' | 'etna', { userId: string }>;
}

/**
 * The sample config for fresh users on `server`: every browser provider, and numbers typed
 * without + read as Swiss (`defaultCountry`).
 */
export function sampleConfig(fakes: FakeBackends, server: FakeServer): SampleSetup {
  const zitadelUser = fakes.zitadel.createUser();
  const authingUser = fakes.authing.createUser();
  const etnaUser = fakes.etna.createUser();
  return {
    config: {
      provider: 'zitadel-self',
      defaultCountry: 'CH',
      providers: {
        'zitadel-self': { baseUrl: server.urls.zitadel, token: zitadelUser.token },
        authing: { baseUrl: server.urls.authing, appId: fakes.authing.appId, accessToken: authingUser.token },
        etna: {
          baseUrl: server.urls.etna,
          token: etnaUser.token,
          appKey: fakes.etna.appKey,
          userId: etnaUser.userId,
        },
      },
    },
    users: { 'zitadel-self': zitadelUser, authing: authingUser, etna: etnaUser },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { outDir } = await buildBrowserExample();
  const fakes = createFakeBackends();
  const fakeServer = await fakes.listen();
  const { config } = sampleConfig(fakes, fakeServer);
  const site = await serveSite(outDir, () => config, fakes);
  console.log(`browser example: ${site.url}`);
  console.log(`fake SMS inbox:  ${site.url}fake-sms`);
  console.log(`fake backends:   ${fakeServer.url} (Ctrl-C stops both)`);
  const stop = async () => {
    await site.close();
    await fakeServer.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
