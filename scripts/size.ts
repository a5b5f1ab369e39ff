/**
 * `npm run size` (a CI step; needs `npm run build` first): each browser entry of the package as a
 * browser app bundles it — esbuild, minified, gzip level 9 — from `dist/`.
 *
 * - Each entry (all its exports): with every dependency ("all deps"; the plain entries carry
 *   libphonenumber-js's `min` metadata), without any phone metadata, and the project's own code
 *   only (every dependency — ky, zod, libphonenumber-js, aws4fetch — left out).
 * - Each factory of a `/core` twin, as an app uses it: that one factory and a five-country metadata
 *   (CH, DE, US, GB, CN, cut from the metadata libphonenumber-js ships: scripts/metadata-subset.ts).
 *
 * It ENFORCES the regression budgets below (KB = 1024 bytes): a size over its budget prints an
 * "over budget" line and makes the script exit 1, failing CI. The size issue's targets are printed
 * beside them ("target" lines) and enforced once met. Entries and factories come from the registry,
 * so a new backend is measured without a line here. Minified (ungzipped) sizes are only printed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import max from 'libphonenumber-js/max/metadata';
import { ADAPTERS, ENTRIES, PACKAGE_ENTRIES, PROVIDER_IDS } from '../adapters/registry.js';
import { factoryName } from '../src/kit/define.js';
import { FIVE_COUNTRIES, metadataSubset } from './metadata-subset.js';

type Measures = { all: number; lean: number; own: number };

// Regression budgets (KB, gzip): today's sizes plus a small margin, so growth is a decision.
// Cognito's entry holds cognitoAdmin, which signs with aws4fetch's AwsV4Signer (2.5 KB gz, a
// dependency: not in "own code"); an app that imports only cognito() drops it.
const ROOT_BUDGET: Measures = { all: 30.5, lean: 11, own: 2 };
// Own code per adapter entry is 12.4–14.5 KB: what the contract's checks, messages, redaction,
// retries, hooks and logging cost (see the size issue, #13, for where it goes: --breakdown).
const ADAPTER_BUDGET: Measures = { all: 56.5, lean: 37.5, own: 15 };
// phone-binding/all carries every adapter: its budget grows by 2 KB per provider of the registry,
// so a new backend needs no line here.
const PER_PROVIDER = 2;
const ALL_BUDGET: Measures = {
  all: 51 + PER_PROVIDER * PROVIDER_IDS.length,
  lean: 31.5 + PER_PROVIDER * PROVIDER_IDS.length,
  own: 8.5 + PER_PROVIDER * PROVIDER_IDS.length,
};
/** A `/core` factory with five countries' metadata (regression budget). */
const CORE_FACTORY_BUDGET = 40.5;

// The size issue's targets (#13), reported until met: every plain adapter entry ≤ 46 KB, its own
// code ≤ 7 KB; a user-scope factory (it runs in browsers) on five countries' metadata ≤ 30 KB.
const TARGET = { entryAll: 46, entryOwn: 7, userFactoryFive: 30 };

function budgetOf(name: string): Measures {
  if (name === 'index' || name === 'core') return ROOT_BUDGET;
  if (name === 'all' || name === 'all/core') return ALL_BUDGET;
  return ADAPTER_BUDGET;
}

// Marks libphonenumber-js's metadata modules external, so the rest is measured without them.
const withoutMetadata: Plugin = {
  name: 'without-metadata',
  setup(b) {
    b.onResolve({ filter: /metadata(\.(min|max|mobile)\.json)?$/ }, (args) =>
      args.path.includes('libphonenumber-js') || args.path.includes('metadata.')
        ? { path: args.path, external: true }
        : undefined,
    );
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

/**
 * Bundles `contents` as a browser app's bundler does: minified, and with dynamic `import()`s split
 * into chunks of their own (Vite, Rollup, webpack and esbuild's `splitting` all do), so code loaded
 * only on first use (the ticket signer) is not counted in what the page loads up front. `gz` is the
 * gzip size of the chunks loaded at start (the entry and what it imports statically), `lazyGz`
 * that of the chunks loaded on demand.
 */
async function size(
  contents: string,
  plugins: Plugin[],
): Promise<{ min: number; gz: number; lazyGz: number; text: string }> {
  mkdirSync('.tmp/size', { recursive: true });
  const entryFile = '.tmp/size/entry.js';
  writeFileSync(entryFile, contents.replaceAll("'./", "'../../"));
  const result = await build({
    entryPoints: [entryFile],
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: '.tmp/size/out',
    write: false,
    metafile: true,
    plugins,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const files = new Map(
    result.outputFiles.map((file) => [relative(process.cwd(), file.path), file.contents]),
  );
  const entryOut = Object.keys(outputs).find((name) => outputs[name]?.entryPoint !== undefined);
  const initial = new Set<string>();
  const visit = (name: string) => {
    if (initial.has(name)) return;
    initial.add(name);
    for (const next of outputs[name]?.imports ?? [])
      if (next.kind === 'import-statement' && !next.external) visit(next.path);
  };
  if (entryOut) visit(entryOut);
  let min = 0;
  let gz = 0;
  let lazyGz = 0;
  let text = '';
  for (const [name, code] of files) {
    if (!name.endsWith('.js')) continue;
    const zipped = gzipSync(code, { level: 9 }).length;
    if (initial.has(name)) {
      min += code.length;
      gz += zipped;
      text += new TextDecoder().decode(code);
    } else lazyGz += zipped;
  }
  return { min, gz, lazyGz, text };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
/** The README's two size tables, as measured now (written by `--write`, compared otherwise). */
const entryRows: string[][] = [];
const factoryRows: string[][] = [];
let over = 0;
const targetsMissed: string[] = [];

function check(label: string, value: number, budget: number): void {
  if (value / 1024 <= budget) return;
  over += 1;
  console.log(`  over budget: ${label} ${kb(value)} > ${budget} KB`);
}

// `npm run size -- --breakdown zitadelSelf`: where one factory's own code goes, per source module
// (minified bytes in its bundle, dependencies left out), to find what to cut.
const breakdownOf = process.argv[process.argv.indexOf('--breakdown') + 1];
if (process.argv.includes('--breakdown')) {
  const entry = ENTRIES.find((candidate) =>
    candidate.providers.some((provider) => factoryName(provider) === breakdownOf),
  );
  if (!entry) throw new Error(`--breakdown needs a factory name, e.g. zitadelSelf (got ${breakdownOf})`);
  const result = await build({
    stdin: {
      contents: `export { ${breakdownOf} } from './${entry.source.replace(/index\.ts$/, 'core.ts')}';`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    plugins: [ownCodeOnly],
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  const rows = Object.entries(output?.inputs ?? {}).sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput);
  for (const [file, { bytesInOutput }] of rows)
    if (bytesInOutput > 0) console.log(`${String(bytesInOutput).padStart(7)}  ${file}`);
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  console.log(
    `${String(code.length).padStart(7)}  total minified, ${kb(gzipSync(code, { level: 9 }).length)} gzip`,
  );
  process.exit(0);
}

console.log(
  'entry                         all deps   no phone metadata   own code only   (minified, all deps)',
);
for (const entry of PACKAGE_ENTRIES.filter((candidate) => candidate.browser)) {
  const label = entry.subpath === '.' ? 'phone-binding' : `phone-binding/${entry.subpath.slice(2)}`;
  const contents = `export * from './dist/${entry.name}.js';`;
  const all = await size(contents, []);
  const lean = await size(contents, [withoutMetadata]);
  const own = await size(contents, [ownCodeOnly]);
  console.log(
    `${label.padEnd(29)} ${kb(all.gz).padStart(8)}   ${kb(lean.gz).padStart(17)}   ${kb(own.gz).padStart(13)}   (${kb(all.min)})`,
  );
  entryRows.push([`\`${label}\``, kb(all.gz), kb(lean.gz), kb(own.gz)]);
  const budget = budgetOf(entry.name);
  check('all', all.gz, budget.all);
  check('lean', lean.gz, budget.lean);
  check('own', own.gz, budget.own);
  // DESIGN "Phone metadata": a /core twin's bundle (built from dist/, as apps get it) holds no
  // metadata at all — leaving the metadata modules out must change nothing.
  if (entry.name.endsWith('core') && all.min !== lean.min) {
    over += 1;
    console.log(`  over budget: ${label} carries phone metadata (${all.min - lean.min} bytes)`);
  }
  const adapterEntry = ENTRIES.some((candidate) => candidate.subpath === entry.name);
  if (adapterEntry && all.gz / 1024 > TARGET.entryAll)
    targetsMissed.push(`${label}: ${kb(all.gz)} > ${TARGET.entryAll} KB`);
  if (adapterEntry && own.gz / 1024 > TARGET.entryOwn) {
    targetsMissed.push(`${label} own code: ${kb(own.gz)} > ${TARGET.entryOwn} KB`);
  }
}

// Each factory of a /core twin, with five countries' metadata, as an app bundles it.
mkdirSync('.tmp', { recursive: true });
writeFileSync('.tmp/metadata-five.json', JSON.stringify(metadataSubset(max, FIVE_COUNTRIES)));
console.log('\n/core factory + five-country metadata (CH, DE, US, GB, CN)   gzip   (minified)');
for (const entry of ENTRIES) {
  for (const provider of entry.providers) {
    const factory = factoryName(provider);
    const contents = `import metadata from './.tmp/metadata-five.json';
import { ${factory} } from './dist/${entry.subpath}/core.js';
export const create = (options) => ${factory}({ ...options, metadata });`;
    const measured = await size(contents, []);
    const scope = ADAPTERS[provider].spec.capabilities.scope;
    console.log(
      `${`${factory} (${scope})`.padEnd(29)} ${kb(measured.gz).padStart(8)}   (${kb(measured.min)})`,
    );
    factoryRows.push([`\`${factory}\``, scope, kb(measured.gz)]);
    check(factory, measured.gz, CORE_FACTORY_BUDGET);
    // One factory of a multi-factory entry bundles none of the other's code (registry `modules`):
    // the other's provider id, a string only its own adapter definition holds, must be absent.
    for (const other of entry.providers) {
      if (other !== provider && measured.text.includes(`"${other}"`)) {
        over += 1;
        console.log(`  over budget: ${factory} carries the ${other} adapter`);
      }
    }
    if (scope === 'user' && measured.gz / 1024 > TARGET.userFactoryFive) {
      targetsMissed.push(
        `${factory}/core + five countries: ${kb(measured.gz)} > ${TARGET.userFactoryFive} KB`,
      );
    }
  }
}

// The README's tables are these numbers: `--write` puts them there, and otherwise a README more
// than README_TOLERANCE_KB off any of them fails, so its sizes never drift far from what is built
// (and a change of a few bytes does not need a README edit).
const README_TOLERANCE_KB = 0.5;

/** The largest difference between the KB figures of two tables, row by row (∞ if they differ in shape). */
function drift(written: string, measured: string): number {
  const figures = (text: string) => [...text.matchAll(/(\d+\.\d) KB/g)].map((match) => Number(match[1]));
  const a = figures(written);
  const b = figures(measured);
  const sameRows = (text: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('|') && !line.startsWith('| -'))
      .map((line) => line.split('|')[1]?.trim())
      .join();
  if (a.length !== b.length || sameRows(written) !== sameRows(measured)) return Number.POSITIVE_INFINITY;
  return Math.max(0, ...a.map((value, i) => Math.abs(value - (b[i] ?? 0))));
}
function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
const tables: Record<string, string> = {
  entries: table(['entry', 'all deps', 'no phone metadata', 'own code only'], entryRows),
  factories: table(['factory (`/core`) + five-country metadata', 'scope', 'gzip'], factoryRows),
};
let readme = readFileSync('README.md', 'utf8');
for (const [name, text] of Object.entries(tables)) {
  const block = new RegExp(`(<!-- size:${name} -->\\n)[\\s\\S]*?(\\n<!-- /size:${name} -->)`);
  if (!block.test(readme)) {
    over += 1;
    console.log(`  README.md has no <!-- size:${name} --> block`);
    continue;
  }
  const written = block.exec(readme)?.[0] ?? '';
  const updated = readme.replace(block, (_, open: string, close: string) => `${open}${text}${close}`);
  if (!process.argv.includes('--write') && drift(written, text) > README_TOLERANCE_KB) {
    over += 1;
    console.log(
      `  README.md's ${name} size table is ${drift(written, text).toFixed(1)} KB off these sizes: run \`npm run size -- --write\``,
    );
  }
  readme = updated;
}
if (process.argv.includes('--write')) writeFileSync('README.md', readme);

console.log(`\nbudgets: ${over === 0 ? 'all met' : `${over} exceeded`}; @clerk/backend reference ≈ 41 KB`);
console.log(
  targetsMissed.length === 0
    ? 'size targets (#13): all met'
    : `size targets (#13) not met yet:\n  ${targetsMissed.join('\n  ')}`,
);
process.exitCode = over === 0 ? 0 : 1;
