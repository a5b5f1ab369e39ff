/**
 * `npm run check:footprint`: proves what adding a backend costs. In a scratch copy of the
 * working tree it adds a backend "acme" — a copy of the Clerk folder under new names — touching
 * only its own folder, the registry (and its fakes' table) and package.json, then runs the type check and the shared
 * tests (conformance over every fake target, the reliability proofs, the demo, the API surface,
 * package exports, bundle isolation, architecture, createPhoneBinding, the test kit). They must
 * pass unchanged: no
 * other file names the backends. (README's capability table, generated and tested per adapter,
 * gets its row with the backend; the README test is left out here.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = process.cwd();
const scratch = mkdtempSync(join(tmpdir(), 'phone-binding-footprint-'));

function rename(text: string): string {
  return text.replace(/clerk/g, 'acme').replace(/Clerk/g, 'Acme').replace(/CLERK/g, 'ACME');
}

function edit(file: string, change: (text: string) => string): void {
  const path = join(scratch, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`footprint: could not edit ${file}`);
  writeFileSync(path, after);
}

/** Adds, after the line `anchor` matches, that line renamed. */
function after(anchor: RegExp, addition: (line: string) => string) {
  return (text: string) => text.replace(anchor, (line) => `${line}\n${addition(line)}`);
}

try {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    try {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      cpSync(join(root, file), join(scratch, file));
    } catch {
      // A file deleted in the working tree but still tracked: nothing to copy.
    }
  }
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');

  // 1. The backend's own folder.
  mkdirSync(join(scratch, 'adapters/acme'));
  for (const name of readdirSync(join(root, 'adapters/clerk'))) {
    writeFileSync(
      join(scratch, 'adapters/acme', name),
      rename(readFileSync(join(root, 'adapters/clerk', name), 'utf8')),
    );
  }
  // 2. Its rows in the registry.
  edit('adapters/registry.ts', (text) =>
    [
      after(/^import \{ clerkAdapter \} from '.\/clerk\/adapter.js';$/m, rename),
      after(/^import type \{ ClerkOptions \} from '.\/clerk\/index.js';$/m, rename),
      after(/^ {2}\{ subpath: 'clerk'.*\},$/m, rename),
      after(/^ {2}clerk: clerkAdapter,$/m, rename),
      after(/^ {2}\/\*\* `clerk\(options\)`\. \*\/\n {2}clerk: ClerkOptions;$/m, rename),
    ].reduce((current, change) => change(current), text),
  );
  // …and in the fakes' table, kept apart so that `phone-binding/all` does not load the fakes.
  edit('adapters/fakes.ts', (text) =>
    [
      after(/^import \{ clerkBackend \} from '.\/clerk\/fake.js';$/m, rename),
      after(/^ {2}clerk: clerkBackend,$/m, rename),
    ].reduce((current, change) => change(current), text),
  );
  // 3. Its entry in package.json.
  edit('package.json', (text) => {
    const pkg = JSON.parse(text) as {
      exports: Record<string, unknown>;
      typesVersions: { '*': Record<string, string[]> };
    };
    const exports = Object.entries(pkg.exports);
    const at = exports.findIndex(([subpath]) => subpath === './clerk') + 1;
    // The entry and its /core twin, as for every backend.
    exports.splice(
      at,
      0,
      ['./acme', JSON.parse(rename(JSON.stringify(pkg.exports['./clerk'])))],
      ['./acme/core', JSON.parse(rename(JSON.stringify(pkg.exports['./clerk/core'])))],
    );
    pkg.exports = Object.fromEntries(exports);
    pkg.typesVersions['*'].acme = ['./dist/acme.d.cts'];
    pkg.typesVersions['*']['acme/core'] = ['./dist/acme/core.d.cts'];
    return `${JSON.stringify(pkg, null, 2)}\n`;
  });

  console.log(
    'footprint: added adapters/acme/ (a renamed copy of adapters/clerk/); edited adapters/registry.ts, adapters/fakes.ts, package.json',
  );

  const steps: Array<[string, string[]]> = [
    ['type check', ['node_modules/.bin/tsc', '--noEmit', '-p', '.']],
    [
      'shared tests',
      [
        'node_modules/.bin/vitest',
        'run',
        'test/conformance',
        'test/architecture',
        'test/package',
        'test/api-surface.test.ts',
        'test/all',
        'test/testing',
        'test/reliability',
        'test/examples/demo.test.ts',
      ],
    ],
  ];
  for (const [name, [command = '', ...args]] of steps) {
    console.log(`footprint: ${name}`);
    const run = spawnSync(command, args, { cwd: scratch, stdio: 'inherit' });
    if (run.status !== 0) {
      console.error(
        `footprint: ${name} failed with the new backend: some file outside its folder must change`,
      );
      process.exit(1);
    }
  }
  console.log(
    'footprint: a new backend is its folder, its rows in adapters/registry.ts and adapters/fakes.ts and its entry in package.json',
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
