/**
 * The SDK's own cost per call, without network or a server: one target's bind and verify against
 * a stub `fetch` that answers what the fake backend answered once (recorded), next to ky alone
 * sending the same requests to the same stub. What is left between the two is the SDK's own work,
 * in CPU µs per call (`process.cpuUsage`, so time the process waits for a core is not
 * counted), far steadier than the bench's loopback rows. Run with `node --cpu-prof` to see
 * where it goes:
 *
 *   npx tsx test/bench/profile.ts etna            # µs per call, SDK vs ky, medians of rounds
 *   PROFILE_CALLS=2000 PROFILE_ROUNDS=10 node --cpu-prof --import tsx test/bench/profile.ts etna sdk
 *
 * Arguments: a target name (or a prefix of one, as in `fakeTargets()`), then optionally `sdk` or
 * `ky` to run one side only and `bind` or `verify` to run one operation only (for a profile). Knobs: `PROFILE_CALLS` (200 per round),
 * `PROFILE_ROUNDS` (41), the sides alternating round by round.
 */
import ky from 'ky';
import { createPhoneBinding, type PhoneBindingConfig } from '../../adapters/all/index.js';
import type { PhoneBinding, VerificationTicket } from '../../src/index.js';
import { createFakeBackends, fakeTargets } from '../../src/testing/index.js';
import { median } from './stats.js';

interface Exchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  status: number;
  responseHeaders: Record<string, string>;
  text: string;
}

const [wanted = 'etna', only, onlyOp] = process.argv.slice(2);
const calls = Number(process.env.PROFILE_CALLS ?? 200);
const rounds = Number(process.env.PROFILE_ROUNDS ?? 41);
const target =
  fakeTargets().find((t) => t.name === wanted) ?? fakeTargets().find((t) => t.name.startsWith(wanted));
if (!target) throw new Error(`profile: no target ${wanted}`);

// Fresh numbers per call, as real traffic has (no cache may profit from a repeated input);
// `current` is the E.164 of the call under way, which the stub's answers echo.
const RECORDED = '+41791000001';
const RECORDED_DIGITS = RECORDED.slice(1);
let current = RECORDED;
let counter = 1000;
const numbers = () => {
  const d = String(counter++).padStart(6, '0');
  return `+41 79 1${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)}`;
};
const e164 = (input: string) => `+${input.replace(/\D/g, '')}`;

const fakes = createFakeBackends();
const exchanges: Exchange[] = [];
const recording: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const body = request.body ? await request.clone().text() : undefined;
  const response = await fakes.fetch(request);
  const text = await response.clone().text();
  exchanges.push({
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    body,
    status: response.status,
    responseHeaders: Object.fromEntries(response.headers),
    text,
  });
  return response;
};

const { config, userId } = target.setup(fakes);
const user = userId === undefined ? {} : { userId };
const recorder = createPhoneBinding({ ...config, fetch: recording } as PhoneBindingConfig);
const codes = recorder.capabilities.codeVerification;
const first = await recorder.bind({ ...user, phoneNumber: RECORDED, ...(codes ? {} : { verified: true }) });
const bindCount = exchanges.length;
let verifyCount = 0;
if (first.state === 'pending') {
  const code = first.code ?? fakes.lastCode(RECORDED) ?? '';
  await recorder.verify({ ticket: first.ticket, code });
  verifyCount = exchanges.length - bindCount;
}
const bindAnswers = exchanges.slice(0, bindCount);
const verifyAnswers = exchanges.slice(bindCount);

/**
 * A stub fetch answering `answers` in turn, forever. Like undici's fetch it builds its own
 * Request from what it is given and reads the body.
 */
function stub(answers: Exchange[]): typeof fetch {
  let i = 0;
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.body) await request.arrayBuffer();
    const answer = answers[i++ % answers.length] as Exchange;
    // The backend echoes the number of this call, as the fake would, not the recorded one.
    const text = answer.text.replaceAll(RECORDED_DIGITS, current.slice(1));
    return new Response(text.length === 0 ? null : text, {
      status: answer.status,
      headers: answer.responseHeaders,
    });
  };
}

/** CPU time of this process (µs): a machine shared with other work steals wall time, not this. */
function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function sdkRound(op: 'bind' | 'verify', n: number): Promise<number> {
  const answers = op === 'bind' ? bindAnswers : verifyAnswers;
  const binding: PhoneBinding = createPhoneBinding({ ...config, fetch: stub(answers) } as PhoneBindingConfig);
  const inputs = Array.from({ length: n }, numbers);
  let tickets: VerificationTicket[] = [];
  if (op === 'verify' && first.state === 'pending') {
    // Each verify its own ticket, as bind would answer it for that number.
    tickets = inputs.map((phoneNumber) => ({
      ...first.ticket,
      phone: e164(phoneNumber),
    }));
  }
  const started = cpuUs();
  for (let i = 0; i < n; i += 1) {
    current = e164(inputs[i] as string);
    if (op === 'bind') {
      await binding.bind({ ...user, phoneNumber: inputs[i] as string, ...(codes ? {} : { verified: true }) });
    } else {
      await binding.verify({ ticket: tickets[i] as VerificationTicket, code: '123456' });
    }
  }
  return (cpuUs() - started) / n;
}

async function kyRound(op: 'bind' | 'verify', n: number): Promise<number> {
  const answers = op === 'bind' ? bindAnswers : verifyAnswers;
  const fetch = stub(answers);
  // The requests with this call's number in place of the recorded one, made before timing.
  const requests = Array.from({ length: n }, () => {
    const number = e164(numbers());
    const swap = (text: string) =>
      text
        .replaceAll(encodeURIComponent(RECORDED), encodeURIComponent(number))
        .replaceAll(RECORDED_DIGITS, number.slice(1));
    return {
      number,
      sends: answers.map((a) => ({
        ...a,
        url: swap(a.url),
        body: a.body === undefined ? undefined : swap(a.body),
      })),
    };
  });
  const started = cpuUs();
  for (let i = 0; i < n; i += 1) {
    const { number, sends } = requests[i] as (typeof requests)[number];
    current = number;
    for (const a of sends) {
      const response = await ky(a.url, {
        method: a.method,
        headers: a.headers,
        body: a.body,
        retry: 0,
        throwHttpErrors: false,
        fetch,
      });
      const text = await response.text();
      if (text.length > 0) JSON.parse(text);
    }
  }
  return (cpuUs() - started) / n;
}

const ops = (verifyCount > 0 ? (['bind', 'verify'] as const) : (['bind'] as const)).filter(
  (op) => onlyOp === undefined || op === onlyOp,
);
console.log(
  `${target.name}: bind ${bindCount} request(s), verify ${verifyCount}; ${calls} calls × ${rounds} rounds`,
);
for (const op of ops) {
  const sdk: number[] = [];
  const kyUs: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    if (only !== 'ky') sdk.push(await sdkRound(op, calls));
    if (only !== 'sdk') kyUs.push(await kyRound(op, calls));
  }
  const s = only === 'ky' ? Number.NaN : median(sdk);
  const k = only === 'sdk' ? Number.NaN : median(kyUs);
  console.log(
    `  ${op.padEnd(6)} SDK ${s.toFixed(1).padStart(6)} µs  ky ${k.toFixed(1).padStart(6)} µs  SDK − ky ${(s - k).toFixed(1).padStart(6)} µs`,
  );
}
