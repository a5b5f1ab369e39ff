/**
 * `npm run docs`: the API reference (TypeDoc, warnings are errors) of every package entry the
 * registry lists, into docs/api.
 */
import { spawnSync } from 'node:child_process';
import { PACKAGE_ENTRIES } from '../adapters/registry.js';

const args = [
  ...PACKAGE_ENTRIES.flatMap((entry) => ['--entryPoints', entry.source]),
  '--out',
  'docs/api',
  '--tsconfig',
  'tsconfig.json',
  '--excludePrivate',
  '--excludeInternal',
  '--disableSources',
  // Helper types of derived public types (the registry's rows behind ProviderId, the fakes'
  // table behind FakeBackendApis): TypeDoc shows the derived type itself.
  ...['ApiOf', 'Entry', 'ProvidersOf', 'FAKES'].flatMap((name) => ['--intentionallyNotExported', name]),
  '--treatWarningsAsErrors',
];
const run = spawnSync('node_modules/.bin/typedoc', args, { stdio: 'inherit' });
process.exit(run.status ?? 1);
