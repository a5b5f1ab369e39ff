/**
 * The browser example: a "Your phone number" card as an app would show it. The user sees their
 * number, adds one (send code → type it → verify, with "Resend code" after the backend's
 * interval), changes it or removes it. Settings come from `config.json` next to the page (see
 * `config.ts`). Plain DOM, no framework. `npm run example:browser` builds it and serves it against
 * the fake backends; `npm run build:browser` only builds `examples/browser/dist/`.
 */
import {
  type BoundPhone,
  isPhoneBindingError,
  type PendingVerification,
  type PhoneBinding,
  type PhoneBindingError,
} from 'phone-binding';
import { clerk } from 'phone-binding/clerk';
import { zitadel } from 'phone-binding/zitadel';
import {
  type BrowserExampleConfig,
  type BrowserProvider,
  checkConfig,
  configuredProviders,
  createBrowserBinding,
  PROVIDER_LABELS,
  RESEND_INTERVAL_SECONDS,
} from './config.js';
import { Countdown } from './countdown.js';
import { displayNumber, messageFor } from './messages.js';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

const ui = {
  provider: element<HTMLSelectElement>('provider'),
  current: element<HTMLDivElement>('current'),
  phoneState: element<HTMLSpanElement>('phone-state'),
  phoneNumber: element<HTMLSpanElement>('phone-number'),
  manage: element<HTMLDivElement>('manage'),
  change: element<HTMLButtonElement>('change'),
  remove: element<HTMLButtonElement>('remove'),
  sendForm: element<HTMLFormElement>('send-form'),
  phone: element<HTMLInputElement>('phone'),
  send: element<HTMLButtonElement>('send'),
  cancel: element<HTMLButtonElement>('cancel'),
  verifyForm: element<HTMLFormElement>('verify-form'),
  codeLabel: element<HTMLLabelElement>('code-label'),
  code: element<HTMLInputElement>('code'),
  currentCodeRow: element<HTMLDivElement>('current-code-row'),
  currentCode: element<HTMLInputElement>('current-code'),
  verify: element<HTMLButtonElement>('verify'),
  resend: element<HTMLButtonElement>('resend'),
  otherNumber: element<HTMLButtonElement>('other-number'),
  status: element<HTMLParagraphElement>('status'),
  tryServerOnly: element<HTMLButtonElement>('try-server-only'),
  serverOnly: element<HTMLUListElement>('server-only'),
};

/** What the status line is doing; tests wait on `data-phase` (and `data-seq`, bumped on every change). */
type Phase =
  | 'loading'
  | 'ready'
  | 'sending'
  | 'code-sent'
  | 'resending'
  | 'verifying'
  | 'verified'
  | 'removing'
  | 'removed'
  | 'error';
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

let config: BrowserExampleConfig | undefined;
let current: { provider: BrowserProvider; binding: PhoneBinding; userId?: string } | undefined;
/** What the backend holds for the user (`null`: no number). */
let bound: BoundPhone | null = null;
/** The code in flight: a bind (or change) to verify, or a removal to confirm. */
let pending: PendingVerification | undefined;
/** The user asked to type a (new) number while one is bound. */
let changing = false;
let busy = false;

const sendWait = new Countdown(ui.send, 'Send code', () => render());
const resendWait = new Countdown(ui.resend, 'Resend code', () => render());

/** The `userId` field where the adapter needs one (ETNA's user-token set-up). */
function user(): { userId?: string } {
  return current?.userId === undefined ? {} : { userId: current.userId };
}

function resendIntervalMs(): number {
  if (!current) return 0;
  return (config?.resendIntervalSeconds ?? RESEND_INTERVAL_SECONDS[current.provider]) * 1000;
}

/** Shows what the state holds: which part of the card is visible, and which buttons work. */
function render(): void {
  const ready = current !== undefined && !busy;
  const shown = pending?.purpose === 'bind' ? pending.phone : bound?.phone;
  ui.current.hidden = shown === undefined;
  ui.phoneNumber.textContent = shown ? displayNumber(shown.e164) : '';
  const state = pending?.purpose === 'bind' ? 'pending' : (bound?.state ?? 'none');
  ui.phoneState.dataset.state = state;
  ui.phoneState.textContent =
    state === 'pending' ? 'waiting for the code' : state === 'none' ? 'no number' : state;

  const entering = current !== undefined && pending === undefined && (bound === null || changing);
  ui.sendForm.hidden = !entering;
  ui.cancel.hidden = !(changing && bound !== null);
  ui.verifyForm.hidden = pending === undefined;
  ui.manage.hidden = current === undefined || pending !== undefined || bound === null || changing;
  ui.remove.hidden = current?.binding.capabilities.remove !== true;

  if (pending) {
    ui.codeLabel.textContent =
      pending.purpose === 'remove'
        ? `To remove your number, type the code we sent to ${displayNumber(pending.phone.e164)}`
        : `Code from the SMS to ${displayNumber(pending.phone.e164)}`;
  }
  ui.currentCodeRow.hidden = pending?.needsCurrentCode !== true;
  ui.resend.hidden = current?.binding.capabilities.resend !== true;

  ui.provider.disabled = config === undefined || busy;
  for (const control of [
    ui.phone,
    ui.code,
    ui.currentCode,
    ui.verify,
    ui.otherNumber,
    ui.change,
    ui.remove,
  ]) {
    control.disabled = !ready;
  }
  ui.cancel.disabled = !ready;
  ui.send.disabled = !ready || sendWait.blocked;
  ui.resend.disabled = !ready || resendWait.blocked;
}

function showError(error: unknown): void {
  if (isPhoneBindingError(error)) {
    setStatus('error', messageFor(error), error.code);
  } else {
    setStatus('error', `Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** After a 429 the button that caused it waits out `retryAfterMs` (or the resend interval). */
function holdAfterRateLimit(error: PhoneBindingError, countdown: Countdown): void {
  if (error.code === 'rate_limited') countdown.start(error.retryAfterMs ?? resendIntervalMs());
}

async function run(
  phase: Phase,
  text: string,
  task: () => Promise<void>,
  onError?: (error: PhoneBindingError) => void,
): Promise<void> {
  busy = true;
  render();
  setStatus(phase, text);
  try {
    await task();
  } catch (error) {
    showError(error);
    if (isPhoneBindingError(error)) onError?.(error);
  } finally {
    busy = false;
    render();
  }
}

function codeSent(result: PendingVerification): void {
  pending = result;
  ui.code.value = '';
  ui.currentCode.value = '';
  resendWait.start(resendIntervalMs());
  const to = displayNumber(result.phone.e164);
  setStatus(
    'code-sent',
    result.purpose === 'remove'
      ? `We sent a code to ${to}. Type it to confirm the removal.`
      : `We sent a code to ${to}. Type it below.`,
  );
  queueMicrotask(() => ui.code.focus());
}

function reset(): void {
  bound = null;
  pending = undefined;
  changing = false;
  ui.phone.value = '';
  ui.code.value = '';
  sendWait.stop();
  resendWait.stop();
}

async function selectProvider(provider: BrowserProvider): Promise<void> {
  reset();
  try {
    if (!config) throw new Error('config.json is not loaded.');
    current = { provider, ...createBrowserBinding(config, provider) };
  } catch (error) {
    current = undefined;
    // A wrong setting in config.json (e.g. a baseUrl that is not a URL): the SDK names the field.
    setStatus('error', `config.json: ${error instanceof Error ? error.message : String(error)}`);
    render();
    return;
  }
  const target = current;
  await run('loading', 'Loading your number…', async () => {
    bound = target.binding.capabilities.get ? await target.binding.get(user()) : null;
    setStatus('ready', bound ? 'This is the number on your account.' : 'Add a number to your account.');
  });
}

ui.provider.addEventListener('change', () => {
  void selectProvider(ui.provider.value as BrowserProvider);
});

ui.sendForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const target = current;
  if (!target || busy || sendWait.blocked) return;
  void run(
    'sending',
    'Sending a code…',
    async () => {
      const result = await target.binding.bind({
        ...user(),
        phoneNumber: ui.phone.value,
        ...(config?.defaultCountry ? { defaultCountry: config.defaultCountry } : {}),
      });
      if (result.state === 'pending') {
        codeSent(result);
      } else {
        bound = result;
        changing = false;
        setStatus(
          result.state === 'verified' ? 'verified' : 'ready',
          `${displayNumber(result.phone.e164)} is already ${result.state}.`,
        );
      }
    },
    (error) => holdAfterRateLimit(error, sendWait),
  );
});

ui.verifyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const target = current;
  const open = pending;
  if (!target || !open || busy) return;
  const code = ui.code.value;
  if (open.purpose === 'remove') {
    void run('removing', 'Removing your number…', async () => {
      await target.binding.remove({ ...user(), ticket: open.ticket, code });
      removed();
    });
    return;
  }
  void run('verifying', 'Checking the code…', async () => {
    const result = await target.binding.verify({
      ticket: open.ticket,
      code,
      ...(open.needsCurrentCode ? { currentCode: ui.currentCode.value } : {}),
    });
    bound = result;
    pending = undefined;
    changing = false;
    resendWait.stop();
    setStatus('verified', `Done: ${displayNumber(result.phone.e164)} is verified.`);
  });
});

ui.resend.addEventListener('click', () => {
  const target = current;
  const open = pending;
  if (!target || !open || busy || resendWait.blocked) return;
  void run(
    'resending',
    'Sending a new code…',
    async () => codeSent(await target.binding.resend({ ticket: open.ticket })),
    (error) => holdAfterRateLimit(error, resendWait),
  );
});

/** "Use a different number" while a code is pending, and "Change number" once one is bound. */
function startChange(): void {
  pending = undefined;
  changing = true;
  resendWait.stop();
  ui.phone.value = '';
  setStatus('ready', bound ? 'Type your new number.' : 'Type your number.');
  render();
  queueMicrotask(() => ui.phone.focus());
}

ui.change.addEventListener('click', startChange);
ui.otherNumber.addEventListener('click', startChange);
ui.cancel.addEventListener('click', () => {
  changing = false;
  setStatus('ready', 'This is the number on your account.');
  render();
});

function removed(): void {
  bound = null;
  pending = undefined;
  changing = false;
  resendWait.stop();
  setStatus('removed', 'Your number was removed.');
}

ui.remove.addEventListener('click', () => {
  const target = current;
  if (!target || busy || !bound) return;
  void run('removing', 'Removing your number…', async () => {
    const result = await target.binding.remove({ ...user() });
    // Some backends (Authing) first send a code to the number, then remove it with that code.
    if (result.state === 'pending') codeSent(result);
    else removed();
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
  render();
  setStatus('loading', 'Loading…');
  try {
    const response = await fetch(new URL('./config.json', document.baseURI), { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json answered HTTP ${response.status}.`);
    config = checkConfig(await response.json());
  } catch (error) {
    setStatus(
      'error',
      `Could not load config.json: ${error instanceof Error ? error.message : String(error)}`,
    );
    render();
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
  await selectProvider(initial);
}

void start();
