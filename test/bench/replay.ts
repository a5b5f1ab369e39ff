/**
 * The two references the SDK is measured against, sending a template's requests on one slot:
 * ky alone, as a hand-written ky client would call it, and a raw `fetch`. Each reads the whole
 * answer and parses its JSON, checks the status the SDK got, and keeps the ids later requests
 * need. Where the adapter signs (AWS SigV4), the replay signs each request the same way, with
 * aws4fetch's `AwsV4Signer` on the same header set: those rows are "ky + signer" and
 * "raw fetch + signer".
 */
import { AwsV4Signer } from 'aws4fetch';
import ky from 'ky';
import type { OpTemplate, SigningSpec } from './recording.js';
import type { Slot } from './slots.js';
import { leafAt, render } from './template.js';

/** Sends one request and answers its status and body text. */
export type Send = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
) => Promise<{ status: number; text: string }>;

/** ky alone: no instance, no retries, errors as answers (the status is checked by the caller). */
export const viaKy: Send = async (method, url, headers, body) => {
  const response = await ky(url, { method, headers, body, retry: 0, throwHttpErrors: false });
  return { status: response.status, text: await response.text() };
};

/** A raw `fetch`. */
export const viaFetch: Send = async (method, url, headers, body) => {
  const response = await fetch(url, { method, headers, body });
  return { status: response.status, text: await response.text() };
};

/** Signs as the adapter does: only the signed headers go to the signer; its headers but host are set. */
async function sign(
  spec: SigningSpec,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<string> {
  const toSign: Record<string, string> = {};
  for (const name of spec.signed) {
    const value = headers[name];
    if (value !== undefined) toSign[name] = value;
  }
  const signed = await new AwsV4Signer({
    method,
    url,
    headers: toSign,
    ...(body === undefined ? {} : { body }),
    accessKeyId: spec.accessKeyId,
    secretAccessKey: spec.secretAccessKey,
    ...(spec.sessionToken === undefined ? {} : { sessionToken: spec.sessionToken }),
    service: spec.service,
    region: spec.region,
  }).sign();
  for (const [name, value] of signed.headers) if (name !== 'host') headers[name] = value;
  return signed.url.toString();
}

/** Sends the requests of `op` on `slot` with `send`; throws when an answer's status is not the SDK's. */
export async function replayOp(
  op: OpTemplate,
  slot: Slot,
  send: Send,
  signing: SigningSpec | undefined,
): Promise<void> {
  const { values } = slot;
  for (const request of op.requests) {
    let url = render(request.url, values);
    const headers: Record<string, string> = {};
    for (const [name, parts] of request.headers) headers[name] = render(parts, values);
    const body = request.body === undefined ? undefined : render(request.body, values);
    if (request.signed && signing) url = await sign(signing, request.method, url, headers, body);
    const { status, text } = await send(request.method, url, headers, body);
    if (status !== request.status) {
      throw new Error(
        `bench: a replayed ${request.method} answered ${status}, the SDK's got ${request.status}`,
      );
    }
    const answer: unknown = text.length === 0 ? undefined : JSON.parse(text);
    for (const { name, path } of request.extract) {
      const value = leafAt(answer, path);
      if (value === undefined) throw new Error(`bench: a replayed answer lacks ${name}`);
      values.set(name, value);
    }
  }
}
