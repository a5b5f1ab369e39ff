// Measures each entry as a browser app would bundle it: esbuild, minified, gzip level 9 (sizes
// are gzipped unless marked minified). "no phone metadata" leaves out libphonenumber-js's country
// metadata (the largest single part); "own code only" leaves out every dependency.
// A report, not a budget: budgets arrive with size-limit.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const entries = {
  'phone-binding': "export * from './dist/index.js';",
  'phone-binding/etna': "export * from './dist/etna.js';",
  'phone-binding/authing': "export * from './dist/authing.js';",
  'phone-binding/zitadel': "export * from './dist/zitadel.js';",
  'phone-binding/clerk': "export * from './dist/clerk.js';",
  'phone-binding/all': "export * from './dist/all.js';",
};

// Marks libphonenumber-js's metadata module external, so the rest is measured without it.
const withoutMetadata = {
  name: 'without-metadata',
  setup(b) {
    b.onResolve({ filter: /metadata\.min\.json/ }, (args) => ({ path: args.path, external: true }));
  },
};

async function size(contents, plugins) {
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
  const code = result.outputFiles[0].contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
// The project's own code only: every dependency left out.
const ownCodeOnly = {
  name: 'own-code-only',
  setup(b) {
    b.onResolve({ filter: /^(ky|zod|libphonenumber-js)(\/|$)/ }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

// Regression budgets (KB, gzip): today's sizes plus a small margin, so growth is a decision.
// Issue 6 asks for ≤ 36 KB with metadata and ≤ 8 KB without; the mandated dependencies alone
// already weigh more (libphonenumber-js validation 9.3 + /min metadata 18.5 + zod/mini ≥ 5.3 +
// ky 4.9 ≈ 38 KB), so those targets are printed beside the budgets, not enforced.
const BUDGETS = {
  'phone-binding': { all: 31, lean: 11.5, own: 2 },
  'phone-binding/etna': { all: 50, lean: 30.5, own: 9.5 },
  'phone-binding/authing': { all: 50, lean: 30.5, own: 10 },
  'phone-binding/zitadel': { all: 50.5, lean: 31.5, own: 10.5 },
  'phone-binding/clerk': { all: 50.5, lean: 31.5, own: 10.5 },
  'phone-binding/all': { all: 57, lean: 38, own: 16 },
};
const TARGET = { all: 36, lean: 8 };

let over = 0;
console.log('entry                      all deps   no phone metadata   own code only   (minified, all deps)');
for (const [name, contents] of Object.entries(entries)) {
  const all = await size(contents, []);
  const lean = await size(contents, [withoutMetadata]);
  const own = await size(contents, [ownCodeOnly]);
  console.log(
    `${name.padEnd(26)} ${kb(all.gz).padStart(8)}   ${kb(lean.gz).padStart(17)}   ${kb(own.gz).padStart(13)}   (${kb(all.min)})`,
  );
  const budget = BUDGETS[name];
  for (const [key, value] of [
    ['all', all.gz],
    ['lean', lean.gz],
    ['own', own.gz],
  ]) {
    if (value / 1024 > budget[key]) {
      over += 1;
      console.log(`  over budget: ${key} ${kb(value)} > ${budget[key]} KB`);
    }
  }
}
console.log(
  `budgets: ${over === 0 ? 'all met' : `${over} exceeded`}; issue-6 targets (not reachable with the mandated dependencies, see above): ` +
    `≤ ${TARGET.all} KB with metadata, ≤ ${TARGET.lean} KB without; @clerk/backend reference ≈ 41 KB`,
);
process.exitCode = over === 0 ? 0 : 1;
