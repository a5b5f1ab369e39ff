// Fails when package-lock.json and package.json disagree, before `npm ci` gets to say so less clearly.
// 1. The lock's root entry (packages[""]) must repeat package.json's name, version, engines and
//    dependency maps exactly.
// 2. Every dependency package.json names must have an entry packages["node_modules/<name>"] whose
//    version satisfies its range (optional peers only when present). Ranges: exact, ^, ~, >=.
// No dependencies: runs before `npm ci`. Usage: node scripts/check-lock.mjs [dir] (default: cwd).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.');
const read = (file) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
const pkg = read('package.json');
const lock = read('package-lock.json');
const problems = [];

const root = lock.packages?.[''];
if (!root) {
  console.error(
    `check-lock: ${join(dir, 'package-lock.json')} has no packages[""] (lockfileVersion 2 or 3 needed)`,
  );
  process.exit(1);
}

const show = (v) => (v === undefined ? '(absent)' : JSON.stringify(v));
for (const field of ['name', 'version']) {
  if (pkg[field] !== root[field]) {
    problems.push(`${field}: package.json has ${show(pkg[field])}, the lock has ${show(root[field])}`);
  }
}
const MAPS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'engines'];
for (const field of MAPS) {
  const want = pkg[field] ?? {};
  const have = root[field] ?? {};
  for (const key of new Set([...Object.keys(want), ...Object.keys(have)])) {
    if (want[key] !== have[key]) {
      problems.push(`${field}.${key}: package.json has ${show(want[key])}, the lock has ${show(have[key])}`);
    }
  }
}

// A tiny semver: x.y.z[-pre]; a prerelease only satisfies an exact range naming it (as in npm).
const parse = (v) => /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+\S*)?$/.exec(v);
const cmp = (a, b) => a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
function satisfies(version, range) {
  const v = parse(version);
  const m = /^(\^|~|>=|=)?\s*(.+)$/.exec(range.trim());
  const r = m && parse(m[2]);
  if (!v || !r) return undefined;
  const op = m[1] ?? '=';
  if (op === '=') return version.replace(/^v/, '') === m[2].replace(/^v/, '');
  if (v[4] || cmp(v, r) < 0) return false;
  if (op === '>=') return true;
  if (op === '~') return v[1] === r[1] && v[2] === r[2];
  // ^: the leftmost non-zero part of the range is fixed.
  if (r[1] !== '0') return v[1] === r[1];
  if (r[2] !== '0') return v[1] === '0' && v[2] === r[2];
  return v[1] === '0' && v[2] === '0' && v[3] === r[3];
}

const optionalPeer = (name) => pkg.peerDependenciesMeta?.[name]?.optional === true;
let checked = 0;
for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
  for (const [name, range] of Object.entries(pkg[field] ?? {})) {
    const entry = lock.packages[`node_modules/${name}`];
    if (!entry?.version) {
      if (!(field === 'peerDependencies' && optionalPeer(name))) {
        problems.push(
          `${field}.${name}: no installed version in the lock (packages["node_modules/${name}"])`,
        );
      }
      continue;
    }
    checked += 1;
    const ok = satisfies(entry.version, range);
    if (ok === undefined) {
      problems.push(
        `${field}.${name}: range ${show(range)} is not one check-lock.mjs understands (exact, ^, ~, >=)`,
      );
    } else if (!ok) {
      problems.push(
        `${field}.${name}: the lock installs ${entry.version}, which does not satisfy ${show(range)}`,
      );
    }
  }
}

if (problems.length > 0) {
  console.error(`check-lock: package-lock.json and package.json disagree (${problems.length}):`);
  for (const p of problems) console.error(`  - ${p}`);
  console.error('Update the lock with `npm install` (over the committed lock) and commit both files.');
  process.exit(1);
}
console.log(`check-lock: package-lock.json matches package.json (${checked} installed versions checked)`);
