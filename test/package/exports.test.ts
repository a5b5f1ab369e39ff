/**
 * package.json `exports` and `typesVersions` hold exactly the registry's entries, each pointing at
 * the files tsup builds from it (tsup.config.ts reads the same registry); tsconfig.json `paths`
 * map the same entries to their sources.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
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

describe('tsconfig.json paths match the registry', () => {
  it('the package’s own name resolves every entry to its source (examples and README snippets use it)', () => {
    const path = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
    const config = ts.readConfigFile(path, ts.sys.readFile).config as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    const paths = config.compilerOptions.paths;
    /** As TypeScript does: an exact key first, else the `*` pattern. */
    const resolve = (name: string): string | undefined => {
      const exact = paths[name]?.[0];
      if (exact !== undefined) return exact;
      const rest = name.startsWith('phone-binding/') ? name.slice('phone-binding/'.length) : undefined;
      if (rest === undefined) return undefined;
      // The /core twins' pattern is listed first: TypeScript takes the first of equal prefixes.
      const twin = /^([^/]+)\/core$/.exec(rest);
      if (twin) return paths['phone-binding/*/core']?.[0]?.replace('*', twin[1] ?? '');
      return paths['phone-binding/*']?.[0]?.replace('*', rest);
    };
    const resolved = PACKAGE_ENTRIES.map(({ subpath }) =>
      resolve(subpath === '.' ? 'phone-binding' : `phone-binding/${subpath.slice(2)}`),
    );
    expect(resolved).toEqual(PACKAGE_ENTRIES.map(({ source }) => `./${source}`));
  });
});
