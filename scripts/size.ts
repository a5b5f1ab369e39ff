/**
 * `npm run size` (a CI step; needs `npm run build` first): each browser entry of the package, as a
 * browser app would bundle it — esbuild, minified, gzip level 9 — in three measures: with every
 * dependency ("all deps"), without libphonenumber-js's country metadata (the largest single part),
 * and the project's own code only (every dependency left out). The entries come from the registry.
 *
 * It ENFORCES the gzip budgets below (KB = 1024 bytes; all deps / no metadata / own code): each
 * size over its budget prints an "over budget" line and makes the script exit 1, failing CI.
 * Every adapter entry shares one budget, so a new backend is measured without a new line here.
 * Minified (ungzipped) sizes are only printed.
 */
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { PACKAGE_ENTRIES, PROVIDER_IDS } from '../adapters/registry.js';

type Measures = { all: number; lean: number; own: number };

// Regression budgets (KB, gzip): today's sizes plus a small margin, so growth is a decision.
// The adapter kit (one options schema per adapter in zod/mini, the error table, the default
// messages said once) added 1.0–1.6 KB of own code per adapter entry over the hand checks it
// replaced, and changing a number and the SMS second factor (#11) another 0.4–1.3 KB; the size
// issue (#13) cuts own code below 7 KB.
const ROOT_BUDGET: Measures = { all: 31, lean: 11.5, own: 2 };
// Cognito's entry holds cognitoAdmin, which signs with aws4fetch's AwsV4Signer (2.5 KB gz, a
// dependency: not in "own code"); an app that imports only cognito() drops it (52.8 KB). The
// all-deps and no-metadata budgets leave room for it, the own-code budget does not change.
const ADAPTER_BUDGET: Measures = { all: 56, lean: 37, own: 13.5 };
// phone-binding/all carries every adapter: its budget grows by 2 KB per provider of the registry,
// so a new backend needs no line here.
const PER_PROVIDER = 2;
const ALL_BUDGET: Measures = {
  all: 50 + PER_PROVIDER * PROVIDER_IDS.length,
  lean: 31 + PER_PROVIDER * PROVIDER_IDS.length,
  own: 9 + PER_PROVIDER * PROVIDER_IDS.length,
};

function budgetOf(name: string): Measures {
  if (name === 'index') return ROOT_BUDGET;
  if (name === 'all') return ALL_BUDGET;
  return ADAPTER_BUDGET;
}

// Marks libphonenumber-js's metadata module external, so the rest is measured without it.
const withoutMetadata: Plugin = {
  name: 'without-metadata',
  setup(b) {
    b.onResolve({ filter: /metadata\.min\.json/ }, (args) => ({ path: args.path, external: true }));
  },
};

// The project's own code only: every dependency left out.
const ownCodeOnly: Plugin = {
  name: 'own-code-only',
  setup(b) {
    b.onResolve({ filter: /^(ky|zod|libphonenumber-js|aws4fetch)(\/|$)/ }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

async function size(contents: string, plugins: Plugin[]): Promise<{ min: number; gz: number }> {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    plugins,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

let over = 0;
console.log('entry                      all deps   no phone metadata   own code only   (minified, all deps)');
for (const entry of PACKAGE_ENTRIES.filter((candidate) => candidate.browser)) {
  const label = entry.subpath === '.' ? 'phone-binding' : `phone-binding/${entry.subpath.slice(2)}`;
  const contents = `export * from './dist/${entry.name}.js';`;
  const all = await size(contents, []);
  const lean = await size(contents, [withoutMetadata]);
  const own = await size(contents, [ownCodeOnly]);
  console.log(
    `${label.padEnd(26)} ${kb(all.gz).padStart(8)}   ${kb(lean.gz).padStart(17)}   ${kb(own.gz).padStart(13)}   (${kb(all.min)})`,
  );
  const budget = budgetOf(entry.name);
  for (const [key, value] of [
    ['all', all.gz],
    ['lean', lean.gz],
    ['own', own.gz],
  ] as const) {
    if (value / 1024 > budget[key]) {
      over += 1;
      console.log(`  over budget: ${key} ${kb(value)} > ${budget[key]} KB`);
    }
  }
}
console.log(`budgets: ${over === 0 ? 'all met' : `${over} exceeded`}; @clerk/backend reference ≈ 41 KB`);
process.exitCode = over === 0 ? 0 : 1;
