// The unit tests (vitest run) on other Node majors than the machine's, each fetched by `npx -y node@<major>`.
// Stops at the first failing major. Usage: node scripts/test-node-majors.mjs [major...] (default: 22 24).
import { spawnSync } from 'node:child_process';

const majors = process.argv.length > 2 ? process.argv.slice(2) : ['22', '24'];
for (const major of majors) {
  console.log(`-- vitest run on node@${major}`);
  const run = spawnSync('npx', ['-y', `node@${major}`, 'node_modules/vitest/vitest.mjs', 'run'], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error(
      `test-node-majors: vitest run failed on node@${major} (${run.error?.message ?? `exit ${run.status ?? run.signal}`})`,
    );
    process.exit(run.status || 1);
  }
}
