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

console.log('entry                      all deps   no phone metadata   own code only   (minified, all deps)');
for (const [name, contents] of Object.entries(entries)) {
  const all = await size(contents, []);
  const lean = await size(contents, [withoutMetadata]);
  const own = await size(contents, [ownCodeOnly]);
  console.log(
    `${name.padEnd(26)} ${kb(all.gz).padStart(8)}   ${kb(lean.gz).padStart(17)}   ${kb(own.gz).padStart(13)}   (${kb(all.min)})`,
  );
}
