/** The README's tables are generated from the code's own declarations; these tests fail when they drift. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADAPTERS as DECLARED, ENTRIES } from '../adapters/registry.js';
import { type Capabilities, ERROR_CODES } from '../src/index.js';
import { factoryName } from '../src/kit/define.js';
import { CAPABILITY_FLAGS } from './support/capabilities.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Every adapter, in the registry's order (README order). */
const ADAPTERS: Array<{ factory: string; entry: string; capabilities: Capabilities }> = ENTRIES.flatMap(
  (entry) =>
    entry.providers.map((provider) => ({
      factory: factoryName(provider),
      entry: `phone-binding/${entry.subpath}`,
      capabilities: DECLARED[provider].spec.capabilities,
    })),
);

/** The capability table as the README must hold it, as rows of cells. */
function capabilityTable(): string[][] {
  const header = [
    'adapter',
    'entry',
    'scope',
    'change',
    'code verification',
    'bind verified',
    'return code',
    'resend',
    'get',
    'remove',
    'primary',
    'remove needs code',
    'second factor',
    'several numbers',
  ];
  const rows = ADAPTERS.map(({ factory, entry, capabilities }) => [
    `\`${factory}(options)\``,
    `\`${entry}\``,
    capabilities.scope,
    capabilities.change,
    ...CAPABILITY_FLAGS.map((flag) => (capabilities[flag] ? '✓' : '–')),
  ]);
  return [header, ...rows];
}

/** A Markdown table's rows as trimmed cells, without the separator row (formatting-independent). */
function cells(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim()),
    );
}

function section(name: string): string {
  const match = new RegExp(`<!-- ${name}:start[^>]*-->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme);
  if (!match?.[1]) throw new Error(`README has no ${name} section`);
  return match[1];
}

describe('README', () => {
  it('the capability table matches every adapter’s capabilities', () => {
    expect(cells(section('capabilities'))).toEqual(capabilityTable());
  });

  it('the error table lists every error code, in order', () => {
    const codes = cells(section('errors'))
      .slice(1)
      .map((row) => row[0]?.replace(/`/g, ''));
    expect(codes).toEqual([...ERROR_CODES]);
  });

  it('names the two set-up commands', () => {
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
  });
});
