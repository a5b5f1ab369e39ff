/**
 * The shape of the code base, checked: no runtime import circle among the product modules, the
 * core (src/ outside the test kit) names no backend, and adapters reach the core only through
 * the kit and the public types, and no module builds a schema at import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRIES, PROVIDER_IDS } from '../../adapters/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const FILES = [...sources('src'), ...sources('adapters')];
const IMPORT = /(?:^|\n)\s*(import|export)\s+(?!type\s)([^;]*?)\s+from\s+'([^']+)'/g;

/** The relative modules a file imports at run time (`import type` and all-type specifiers left out). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const [, , clause = '', target = ''] = match;
    if (!target.startsWith('.')) continue;
    const braces = /^\{([\s\S]*)\}$/.exec(clause.trim());
    if (braces?.[1] !== undefined) {
      const names = braces[1]
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      if (names.length > 0 && names.every((name) => name.startsWith('type '))) continue;
    }
    out.push(normalize(join(dirname(file), target.replace(/\.js$/, '.ts'))));
  }
  return out;
}

describe('architecture', () => {
  it('no runtime import circle among src/ and adapters/', () => {
    const graph = new Map(FILES.map((file) => [file, runtimeImports(file)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of FILES) visit(file, []);
    expect(cycles).toEqual([]);
  });

  // Code, not documentation: the TSDoc examples show real use, which means an adapter.
  it('the core’s code names no backend (src/ outside the test kit)', () => {
    const names = [...new Set([...PROVIDER_IDS, ...ENTRIES.map((entry) => entry.subpath)])];
    const word = new RegExp(`\\b(${names.join('|')})\\b`, 'i');
    const offenders = FILES.filter((file) => file.startsWith('src/') && !file.startsWith('src/testing/'))
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .map((line, index) => ({ line, at: `${file}:${index + 1}` })),
      )
      .filter(({ line }) => !/^\s*(\*|\/\/|\/\*\*)/.test(line) && word.test(line))
      .map(({ at, line }) => `${at} ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it('adapters import the core only through the kit and the public types', () => {
    const offenders = FILES.filter((file) => file.startsWith('adapters/')).flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/from '([^']+)'/g)]
        .map((match) => normalize(join(dirname(file), match[1] ?? '')))
        .filter((target) => target.startsWith('src/'))
        .filter((target) => !/^src\/(kit\/index|types|errors|phone|phone-core)\.js$/.test(target))
        // The test kit's own plumbing, for the fakes; phone-binding/all checks configs with the core's option schemas.
        .filter((target) => !target.startsWith('src/testing/') && target !== 'src/internal/option-schemas.js')
        .map((target) => `${relative(ROOT, join(ROOT, file))} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  // Node evaluates every module an entry loads: a schema built at module level costs import
  // time whether a call reads it or not (the first one also compiles much of zod). Each is
  // wrapped in lazy() (src/internal/lazy.ts) and built on first use. The fakes are test kit.
  it('no module of an entry builds a schema at import: module-level schemas are lazy()', () => {
    const STATEMENT = /^(?:export )?const (\w+)(?:: [^=\n]+)? = ([\s\S]*?);$/gm;
    const offenders = FILES.filter(
      (file) => !file.startsWith('src/testing/') && !file.endsWith('/fake.ts'),
    ).flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(STATEMENT)]
        .filter(([, , init = '']) => !init.startsWith('lazy(') && /\bz\.\w+\(|adapterOptions\(/.test(init))
        .map(([, name]) => `${file}: ${name}`),
    );
    expect(offenders).toEqual([]);
  });
});
