/**
 * package.json `exports` and `typesVersions` hold exactly the registry's entries, each pointing at
 * the files tsup builds from it (tsup.config.ts reads the same registry).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ENTRIES } from '../../adapters/registry.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
  typesVersions: { '*': Record<string, string[]> };
};

describe('package.json matches the registry', () => {
  it('exports: one conditional entry per registry entry, plus ./package.json', () => {
    const expected: Record<string, unknown> = {};
    for (const { subpath, name } of PACKAGE_ENTRIES) {
      expected[subpath] = {
        import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
        require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
      };
    }
    expected['./package.json'] = './package.json';
    expect(pkg.exports).toEqual(expected);
  });

  it('typesVersions: every subpath entry, for TypeScript’s node10 resolution', () => {
    const expected = Object.fromEntries(
      PACKAGE_ENTRIES.filter((entry) => entry.subpath !== '.').map((entry) => [
        entry.subpath.slice(2),
        [`./dist/${entry.name}.d.cts`],
      ]),
    );
    expect(pkg.typesVersions['*']).toEqual(expected);
  });
});
