/**
 * Request templates: what decides that a replayed request is the SDK's request "apart from the
 * values that belong to one user", and how those values are put into a template and taken out
 * again. Pure string work, no I/O (unit-tested in template.test.ts).
 *
 * A value (a user id, a token, the number in one of its notations, a code, an id the backend
 * answered) becomes a placeholder `⟨name⟩` wherever it stands as a whole token: the characters
 * around it are not letters or digits. So `4521` in `/users/4521/` is replaced, but not inside
 * `+41791000045210`; longer values go first, so the E.164 number wins over its national part.
 */

/** Placeholder delimiters: characters no request of the fakes carries. */
const OPEN = '⟨';
const CLOSE = '⟩';
const MARKER = /⟨([^⟩]+)⟩/g;
const ALNUM = /[A-Za-z0-9]/;

/** The placeholder of `name`. */
export function placeholder(name: string): string {
  return `${OPEN}${name}${CLOSE}`;
}

function isBoundary(char: string | undefined): boolean {
  return char === undefined || !ALNUM.test(char);
}

/** Replaces whole-token occurrences of `value` in `text` (text holding no placeholder). */
function replaceToken(text: string, value: string, marker: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
    if (at < from) continue;
    if (!isBoundary(text[at - 1]) || !isBoundary(text[at + value.length])) continue;
    out += text.slice(from, at) + marker;
    from = at + value.length;
  }
  return out + text.slice(from);
}

/** `true` when `value` stands as a whole token somewhere in `text`. */
export function containsToken(text: string, value: string): boolean {
  return value.length > 0 && replaceToken(text, value, '\u0000') !== text;
}

/**
 * The values of `values` in `text` turned into their placeholders, longest value first; text
 * already inside a placeholder is left alone. When two names share one value, the first name in
 * sorted order takes it (the same on every user, so templates still compare).
 */
export function placeholderize(text: string, values: ReadonlyMap<string, string>): string {
  const byValue = new Map<string, string>();
  for (const name of [...values.keys()].sort()) {
    const value = values.get(name);
    if (value !== undefined && value.length > 0 && !byValue.has(value)) byValue.set(value, name);
  }
  const ordered = [...byValue].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
  let segments = text.split(/(⟨[^⟩]+⟩)/);
  for (const [value, name] of ordered) {
    const marker = placeholder(name);
    segments = segments.flatMap((segment) =>
      segment.startsWith(OPEN) && segment.endsWith(CLOSE)
        ? [segment]
        : replaceToken(segment, value, marker).split(/(⟨[^⟩]+⟩)/),
    );
  }
  return segments.join('');
}

/** A compiled template string: literal text and placeholder names, in order. */
export type Part = string | { name: string };

/** Splits a placeholderized string into literals and placeholders, for fast rendering. */
export function compile(text: string): Part[] {
  const parts: Part[] = [];
  let from = 0;
  for (const match of text.matchAll(MARKER)) {
    if (match.index > from) parts.push(text.slice(from, match.index));
    parts.push({ name: match[1] ?? '' });
    from = match.index + match[0].length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

/** The names a compiled template needs. */
export function namesOf(parts: readonly Part[]): string[] {
  return parts.flatMap((part) => (typeof part === 'string' ? [] : [part.name]));
}

/** Renders a compiled template; a missing value is a broken flow, so it throws. */
export function render(parts: readonly Part[], values: ReadonlyMap<string, string>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else {
      const value = values.get(part.name);
      if (value === undefined) throw new Error(`bench: no value for ${placeholder(part.name)}`);
      out += value;
    }
  }
  return out;
}

/**
 * Parts of a request that change on every signing (AWS SigV4: the signature, its date and time),
 * in header values: never equal between two requests, so compared by shape only.
 */
const VOLATILE: ReadonlyArray<[RegExp, string]> = [
  [/Signature=[0-9a-f]{64}/g, `Signature=${placeholder('signature')}`],
  [/\b\d{8}T\d{6}Z\b/g, placeholder('amz-date')],
  [/(Credential=[^/,\s]+\/)\d{8}\//g, `$1${placeholder('date')}/`],
];

/** Header value with its volatile parts replaced by placeholders. */
export function stableHeader(value: string): string {
  return VOLATILE.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), value);
}

/**
 * A request as one comparable string: `values` placeholderized, volatile header parts and the
 * content length masked.
 * `request` is any JSON-serializable record of one request (method, URL or path, headers, body).
 */
export function canonical(
  request: { headers: Record<string, string> } & Record<string, unknown>,
  values: ReadonlyMap<string, string>,
): string {
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .map(([name, value]): [string, string] => [
        name.toLowerCase(),
        // fetch computes it from the body (compared itself), whose values differ in length per user.
        name.toLowerCase() === 'content-length' ? placeholder('length') : stableHeader(value),
      ])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return placeholderize(JSON.stringify({ ...request, headers }), values);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A matcher of canonical requests against an expected one: placeholders whose name passes
 * `wildcard` (ids the backend answered, which the caller may not know) match any text, the same
 * text at each of their occurrences; every other character must be equal.
 */
export function matcher(expected: string, wildcard: (name: string) => boolean): (actual: string) => boolean {
  const groups = new Map<string, string>();
  let source = '^';
  let from = 0;
  for (const match of expected.matchAll(MARKER)) {
    const name = match[1] ?? '';
    source += escapeRegExp(expected.slice(from, match.index));
    from = match.index + match[0].length;
    if (!wildcard(name)) source += escapeRegExp(match[0]);
    else if (groups.has(name)) source += `\\k<${groups.get(name)}>`;
    else {
      const group = `g${groups.size}`;
      groups.set(name, group);
      source += `(?<${group}>.+?)`;
    }
  }
  const pattern = new RegExp(`${source}${escapeRegExp(expected.slice(from))}$`, 's');
  return (actual) => pattern.test(actual);
}

/**
 * Where two canonical strings first differ, as a position and the field it falls in — never the
 * text itself, which may hold a token or a code.
 */
export function whereDiffers(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let at = 0;
  while (at < a.length && a[at] === b[at]) at += 1;
  const field = [...a.slice(0, at).matchAll(/"([^"]+)":/g)].at(-1)?.[1] ?? '?';
  return `at character ${at} (near field "${field}")`;
}

/** Every string or number leaf of a JSON value, with its path. */
export function leaves(
  value: unknown,
  path: Array<string | number> = [],
): Array<[Array<string | number>, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'number') return [[path, String(value)]];
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  }
  return [];
}

/** The leaf at `path` of a JSON value, as a string; `undefined` when absent or not a leaf. */
export function leafAt(value: unknown, path: ReadonlyArray<string | number>): string | undefined {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return typeof node === 'string' ? node : typeof node === 'number' ? String(node) : undefined;
}
