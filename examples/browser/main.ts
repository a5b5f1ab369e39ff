/**
 * The browser example: choose a provider, type a number, "Send code", type the SMS code,
 * "Verify". Settings come from `config.json` next to the page (see `config.ts`). Plain DOM, no
 * framework. Build it with `npm run build:browser` and serve `examples/browser/dist/` with a
 * `config.json` beside it.
 */
import { clerk } from '../../adapters/clerk/index.js';
import { zitadel } from '../../adapters/zitadel/index.js';
import {
  type BoundPhone,
  isPhoneBindingError,
  maskPhoneNumber,
  type PhoneBinding,
  type VerificationTicket,
} from '../../src/index.js';
import {
  type BrowserExampleConfig,
  type BrowserProvider,
  checkConfig,
  configuredProviders,
  createBrowserBinding,
  PROVIDER_LABELS,
} from './config.js';
import { messageFor } from './messages.js';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

const ui = {
  sendForm: element<HTMLFormElement>('send-form'),
  verifyForm: element<HTMLFormElement>('verify-form'),
  provider: element<HTMLSelectElement>('provider'),
  phone: element<HTMLInputElement>('phone'),
  send: element<HTMLButtonElement>('send'),
  code: element<HTMLInputElement>('code'),
  verify: element<HTMLButtonElement>('verify'),
  status: element<HTMLParagraphElement>('status'),
  phoneState: element<HTMLSpanElement>('phone-state'),
  phoneNumber: element<HTMLSpanElement>('phone-number'),
  tryServerOnly: element<HTMLButtonElement>('try-server-only'),
  serverOnly: element<HTMLUListElement>('server-only'),
};

/** What the status line is doing; tests wait on `data-phase` (and `data-seq`, bumped on every change). */
type Phase = 'loading' | 'ready' | 'sending' | 'code-sent' | 'verifying' | 'verified' | 'error';
let statusSeq = 0;

function setStatus(phase: Phase, text: string, errorCode?: string): void {
  statusSeq += 1;
  ui.status.dataset.seq = String(statusSeq);
  ui.status.textContent = text;
  ui.status.dataset.phase = phase;
  ui.status.dataset.kind = phase === 'error' ? 'error' : phase === 'verified' ? 'success' : 'info';
  if (errorCode) ui.status.dataset.errorCode = errorCode;
  else delete ui.status.dataset.errorCode;
}

function showPhone(state: 'none' | BoundPhone['state'] | 'pending', e164?: string): void {
  ui.phoneState.dataset.state = state;
  ui.phoneState.textContent = state === 'none' ? 'not verified' : state;
  ui.phoneNumber.textContent = e164 ? `(${maskPhoneNumber(e164)})` : '';
}

let config: BrowserExampleConfig | undefined;
let current: { provider: BrowserProvider; binding: PhoneBinding; userId?: string } | undefined;
let ticket: VerificationTicket | undefined;
let busy = false;

function refreshControls(): void {
  const ready = current !== undefined && !busy;
  ui.provider.disabled = config === undefined || busy;
  ui.phone.disabled = !ready;
  ui.send.disabled = !ready;
  ui.code.disabled = !ready || ticket === undefined;
  ui.verify.disabled = !ready || ticket === undefined;
}

function showError(error: unknown): void {
  if (isPhoneBindingError(error)) {
    setStatus('error', messageFor(error), error.code);
  } else {
    setStatus('error', `Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function selectProvider(provider: BrowserProvider): void {
  ticket = undefined;
  ui.code.value = '';
  showPhone('none');
  try {
    if (!config) throw new Error('config.json is not loaded.');
    current = { provider, ...createBrowserBinding(config, provider) };
    setStatus('ready', `Using ${PROVIDER_LABELS[provider]}. Type your number and press “Send code”.`);
  } catch (error) {
    current = undefined;
    // A wrong setting in config.json (e.g. a baseUrl that is not a URL): the SDK names the field.
    setStatus('error', `config.json: ${error instanceof Error ? error.message : String(error)}`);
  }
  refreshControls();
}

async function run(phase: Phase, text: string, task: () => Promise<void>): Promise<void> {
  busy = true;
  refreshControls();
  setStatus(phase, text);
  try {
    await task();
  } catch (error) {
    showError(error);
  } finally {
    busy = false;
    refreshControls();
  }
}

ui.provider.addEventListener('change', () => selectProvider(ui.provider.value as BrowserProvider));

ui.sendForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const target = current;
  if (!target || busy) return;
  ticket = undefined;
  showPhone('none');
  void run('sending', 'Sending a code…', async () => {
    const result = await target.binding.bind({
      ...(target.userId === undefined ? {} : { userId: target.userId }),
      phoneNumber: ui.phone.value,
      ...(config?.defaultCountry ? { defaultCountry: config.defaultCountry } : {}),
    });
    if (result.state === 'pending') {
      ticket = result.ticket;
      showPhone('pending', result.phone.e164);
      setStatus('code-sent', `We sent a code to ${maskPhoneNumber(result.phone.e164)}. Type it below.`);
      queueMicrotask(() => ui.code.focus());
    } else {
      showPhone(result.state, result.phone.e164);
      setStatus(
        result.state === 'verified' ? 'verified' : 'ready',
        `${maskPhoneNumber(result.phone.e164)} is already ${result.state}.`,
      );
    }
  });
});

ui.verifyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const target = current;
  const pending = ticket;
  if (!target || !pending || busy) return;
  void run('verifying', 'Checking the code…', async () => {
    const bound = await target.binding.verify({ ticket: pending, code: ui.code.value });
    ticket = undefined;
    ui.code.value = '';
    showPhone(bound.state, bound.phone.e164);
    setStatus('verified', `Done: ${maskPhoneNumber(bound.phone.e164)} is verified.`);
  });
});

/** Tries to create the server-secret adapters here; each refuses, naming `dangerouslyAllowBrowser`. */
function tryServerOnlyAdapters(): Array<{ adapter: string; message: string }> {
  const attempts: Array<{ adapter: string; create: () => PhoneBinding }> = [
    { adapter: 'clerk', create: () => clerk({ secretKey: 'sk_test_not_a_real_key' }) },
    {
      adapter: 'zitadel',
      create: () => zitadel({ baseUrl: 'https://example.zitadel.cloud', token: 'not-a-real-service-token' }),
    },
  ];
  const results = attempts.map(({ adapter, create }) => {
    try {
      create();
      return { adapter, message: `${adapter}() was created in the browser: it should have refused!` };
    } catch (error) {
      return { adapter, message: error instanceof Error ? error.message : String(error) };
    }
  });
  ui.serverOnly.replaceChildren(
    ...results.map(({ adapter, message }) => {
      // The SDK's own message, which names the adapter and dangerouslyAllowBrowser.
      const item = document.createElement('li');
      item.dataset.testid = `refusal-${adapter}`;
      item.textContent = message;
      return item;
    }),
  );
  return results;
}

ui.tryServerOnly.addEventListener('click', () => {
  tryServerOnlyAdapters();
});

async function start(): Promise<void> {
  showPhone('none');
  setStatus('loading', 'Loading settings…');
  try {
    const response = await fetch(new URL('./config.json', document.baseURI), { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json answered HTTP ${response.status}.`);
    config = checkConfig(await response.json());
  } catch (error) {
    setStatus(
      'error',
      `Could not load config.json: ${error instanceof Error ? error.message : String(error)}`,
    );
    refreshControls();
    return;
  }
  const providers = configuredProviders(config);
  ui.provider.replaceChildren(
    ...providers.map((id) => {
      const option = document.createElement('option');
      option.value = id;
      option.textContent = PROVIDER_LABELS[id];
      return option;
    }),
  );
  const initial = config.provider ?? providers[0];
  if (initial === undefined) return;
  ui.provider.value = initial;
  selectProvider(initial);
}

void start();
