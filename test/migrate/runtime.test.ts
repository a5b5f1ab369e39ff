/**
 * The library runs on edge runtimes: `phone-binding/migrate` bundles for a browser platform
 * (a Node built-in would not resolve) without the CLI, the file journal or the test kit. The
 * CLI's file journal survives a torn last line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { fileJournal } from '../../src/migrate/cli/file-journal.js';
import { ROOT, tempDir } from './cli-helpers.js';

describe('phone-binding/migrate off Node', () => {
  it('bundles for the browser platform from Web APIs only', async () => {
    const result = await build({
      entryPoints: [join(ROOT, 'src/migrate/index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.startsWith('src/migrate/'))).toBe(true);
    expect(
      inputs.filter((input) => /src\/migrate\/cli\/|src\/testing\/|adapters\/|^node:/.test(input)),
    ).toEqual([]);
  });
});

describe('the file journal', () => {
  it('drops a last line cut off without its newline, and appends after the whole ones', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    writeFileSync(path, '{"a":1}\n{"b":2}\n{"c":');
    const journal = fileJournal(path);
    const lines: string[] = [];
    for await (const line of journal.lines()) lines.push(line);
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    journal.append('{"d":4}');
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"b":2}\n{"d":4}\n');
  });

  it('creates the file on the first line', async () => {
    const path = join(tempDir(), 'new.jsonl');
    const journal = fileJournal(path);
    const lines: string[] = [];
    for await (const line of journal.lines()) lines.push(line);
    journal.append('{"journal":1}');
    journal.append('{"user":1}');
    journal.close();
    expect(lines).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe('{"journal":1}\n{"user":1}\n');
  });
});
