/**
 * Importing one entry must not pull in code it does not need: each entry is bundled as a browser
 * app would (esbuild, from source) and the files that went into the bundle are checked — another
 * adapter's folder, a fake backend, the registry's fakes or test tooling is a failure. The
 * entries come from the registry, so a new backend is covered without a line here.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ENTRIES, PACKAGE_ENTRIES } from '../../adapters/registry.js';

/**
 * The project's own files (and packages) a browser bundle of `entry` is made of — or of an app
 * whose only code is `app` (resolved from the project root) — counting only those that put
 * bytes into it.
 */
async function inputsOf(entry: string, app?: string): Promise<string[]> {
  const result = await build({
    ...(app === undefined
      ? { entryPoints: [entry] }
      : { stdin: { contents: app, resolveDir: process.cwd() } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs)
    .flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([name]) => name),
    )
    .filter((input, index, all) => all.indexOf(input) === index);
}

const folderOf = (source: string) => source.slice(0, source.lastIndexOf('/') + 1);

describe('each adapter entry carries only its own adapter', () => {
  it.each(ENTRIES.map((entry) => [entry.subpath, entry.source] as const))(
    'phone-binding/%s',
    async (_, source) => {
      const inputs = await inputsOf(source);
      const own = folderOf(source);
      expect(
        inputs.some((input) => input.startsWith(own)),
        'its own folder',
      ).toBe(true);
      const foreign = inputs.filter(
        (input) =>
          (input.startsWith('adapters/') && !input.startsWith(own)) ||
          input.endsWith('/fake.ts') ||
          input.startsWith('src/testing/') ||
          /node_modules\/(msw|vitest)\//.test(input),
      );
      expect(foreign).toEqual([]);
    },
  );

  it('the core entry carries no adapter and no test tooling', async () => {
    const inputs = await inputsOf('src/index.ts');
    expect(
      inputs.filter((input) => input.startsWith('adapters/') || input.startsWith('src/testing/')),
    ).toEqual([]);
    expect(inputs.filter((input) => /node_modules\/(msw|ky|vitest)\//.test(input))).toEqual([]);
  });

  it('phone-binding/all carries every adapter but no fake backend', async () => {
    const inputs = await inputsOf('adapters/all/index.ts');
    for (const entry of ENTRIES) {
      expect(
        inputs.some((input) => input.startsWith(folderOf(entry.source))),
        entry.subpath,
      ).toBe(true);
    }
    expect(inputs.filter((input) => input.endsWith('/fake.ts') || input.startsWith('src/testing/'))).toEqual(
      [],
    );
  });

  it('an app importing only cognito() carries neither cognitoAdmin nor its SigV4 signer', async () => {
    const inputs = await inputsOf('', "export { cognito } from './adapters/cognito/index.ts';");
    expect(inputs.some((input) => input.startsWith('adapters/cognito/user.ts'))).toBe(true);
    expect(inputs.filter((input) => /aws4fetch|adapters\/cognito\/admin\.ts/.test(input))).toEqual([]);
    const admin = await inputsOf('', "export { cognitoAdmin } from './adapters/cognito/index.ts';");
    expect(admin.some((input) => /node_modules\/aws4fetch\//.test(input))).toBe(true);
  });

  // DESIGN "Phone metadata": the /core twins ship none of `min`; an app brings its own.
  const METADATA = /libphonenumber-js\/.*metadata\.(min|max|mobile)\.json/;
  const twins = PACKAGE_ENTRIES.filter(
    (entry) => entry.subpath.endsWith('/core') || entry.subpath === './core',
  );

  it('every entry with a /core twin has one, and the registry lists them', () => {
    expect(twins.map((entry) => entry.subpath)).toEqual([
      './core',
      ...ENTRIES.map((entry) => `./${entry.subpath}/core`),
      './all/core',
    ]);
  });

  it.each(twins.map((entry) => [entry.subpath, entry.source] as const))(
    '%s ships no phone metadata (its plain twin ships min)',
    async (subpath, source) => {
      const inputs = await inputsOf(source);
      expect(inputs.filter((input) => METADATA.test(input))).toEqual([]);
      expect(inputs.some((input) => input.includes('libphonenumber-js'))).toBe(true);
      const plain = PACKAGE_ENTRIES.find(
        (entry) => `${entry.subpath}/core` === subpath || (subpath === './core' && entry.subpath === '.'),
      );
      if (!plain) throw new Error(`no plain twin of ${subpath}`);
      expect((await inputsOf(plain.source)).some((input) => /metadata\.min\.json/.test(input))).toBe(true);
    },
  );

  it('an app on zitadelSelf/core with its own metadata ships that metadata and no other', async () => {
    const inputs = await inputsOf(
      '',
      "import max from 'libphonenumber-js/max/metadata'; import { zitadelSelf } from './adapters/zitadel/core.ts'; export const phones = zitadelSelf({ baseUrl: 'https://z.example', token: 't', metadata: max });",
    );
    expect(inputs.filter((input) => METADATA.test(input)).map((input) => input.replace(/.*\//, ''))).toEqual([
      'metadata.max.json.js',
    ]);
  });
});

/**
 * What Node loads: the entries built as tsup builds them (esbuild, code splitting, dependencies
 * external), and every chunk an entry imports statically, followed. Node evaluates each of those
 * files whole, so a module that only a bundler would tree-shake away still costs import time.
 */
describe('the built entries load in Node only what they need', async () => {
  const result = await build({
    entryPoints: Object.fromEntries(PACKAGE_ENTRIES.map((entry) => [entry.name, entry.source])),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    outdir: 'dist-test',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  /** The sources and the packages the files Node loads for `name` come from. */
  const loaded = (name: string) => {
    const sources = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string, seen: Set<string>) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const input of Object.keys(outputs[file]?.inputs ?? {})) sources.add(input);
      for (const imported of outputs[file]?.imports ?? []) {
        if (imported.kind !== 'import-statement') continue;
        if (imported.external) packages.add(imported.path);
        else visit(imported.path, seen);
      }
    };
    visit(`dist-test/${name}.js`, new Set());
    return { sources: [...sources], packages: [...packages] };
  };

  it.each(['all', 'all/core'])('phone-binding/%s loads no fake backend and no test kit', (name) => {
    const { sources } = loaded(name);
    expect(sources.some((source) => source.startsWith('adapters/zitadel/'))).toBe(true);
    expect(
      sources.filter((source) => source.endsWith('/fake.ts') || source.startsWith('src/testing/')),
    ).toEqual([]);
  });

  it.each(PACKAGE_ENTRIES.filter((entry) => entry.name.endsWith('core')).map((entry) => entry.name))(
    '%s loads no phone metadata',
    (name) => {
      const { sources, packages } = loaded(name);
      expect(packages).toContain('libphonenumber-js/core');
      expect(packages.filter((path) => /metadata/.test(path))).toEqual([]);
      expect(sources).not.toContain('src/phone.ts');
    },
  );
});
