/**
 * Users from a file or standard input, streamed line by line: CSV with a header row (an `id`
 * column, or `from` and `to` columns) or JSON lines (`"id"`, `{ "id" }` or `{ "from", "to" }`).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { MigrationUser } from '../types.js';
import { UsageError } from './usage.js';

type Format = 'csv' | 'jsonl';

function formatOf(path: string, firstLine: string): Format {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  return /^\s*["{]/.test(firstLine) ? 'jsonl' : 'csv';
}

/** The fields of one CSV line (RFC 4180 quotes; ids rarely need them). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields.map((value) => value.trim());
}

/** Turns lines into users; `where(n)` names line n in errors. */
async function* usersOf(
  open: () => AsyncIterable<string>,
  path: string,
  where: (line: number) => string,
): AsyncGenerator<MigrationUser> {
  let format: Format | undefined;
  let columns: { id?: number; from?: number; to?: number } = {};
  let number = 0;
  // Opened here, on the first pull: a readline interface made earlier would emit lines to nobody.
  for await (const raw of open()) {
    number += 1;
    const line = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    if (format === undefined) {
      format = formatOf(path, line);
      if (format === 'csv') {
        const names = csvFields(line).map((name) => name.toLowerCase());
        const at = (name: string) => (names.includes(name) ? names.indexOf(name) : undefined);
        columns = { id: at('id'), from: at('from'), to: at('to') };
        if (columns.id === undefined && (columns.from === undefined || columns.to === undefined)) {
          throw new UsageError(
            `${where(number)}: the CSV header must name an "id" column, or "from" and "to" columns`,
          );
        }
        continue;
      }
    }
    if (format === 'csv') {
      const fields = csvFields(line);
      const pick = (index: number | undefined) => (index === undefined ? '' : (fields[index] ?? ''));
      const user: MigrationUser =
        columns.from !== undefined && columns.to !== undefined
          ? { from: pick(columns.from), to: pick(columns.to) }
          : pick(columns.id);
      const ids = typeof user === 'string' ? [user] : [user.from, user.to];
      if (ids.some((id) => id === '')) throw new UsageError(`${where(number)}: an empty user id`);
      yield user;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${where(number)}: not JSON`);
    }
    const object = value as { id?: unknown; from?: unknown; to?: unknown } | null;
    const id = (v: unknown) => typeof v === 'string' && v !== '';
    if (id(value)) yield value as string;
    else if (object !== null && typeof object === 'object' && id(object.from) && id(object.to)) {
      yield { from: object.from as string, to: object.to as string };
    } else if (object !== null && typeof object === 'object' && id(object.id)) yield object.id as string;
    else throw new UsageError(`${where(number)}: expected "id", {"id": …} or {"from": …, "to": …}`);
  }
}

function linesOf(stream: Readable): AsyncIterable<string> {
  return createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
}

/**
 * The users of `path` (`-`: `stdin`). A file is checked for access first, so an unreadable one is
 * a UsageError before any request.
 */
export async function openUsers(path: string, stdin: Readable): Promise<() => AsyncIterable<MigrationUser>> {
  if (path === '-') {
    let used = false;
    return () => {
      if (used) throw new UsageError('standard input can be read once');
      used = true;
      return usersOf(
        () => linesOf(stdin),
        path,
        (line) => `--users - (line ${line})`,
      );
    };
  }
  try {
    await (await open(path, 'r')).close();
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new UsageError(`--users ${path}: cannot read the users file (${code})`);
  }
  return () =>
    usersOf(
      () => linesOf(createReadStream(path)),
      path,
      (line) => `--users ${path} (line ${line})`,
    );
}
