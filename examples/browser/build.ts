/**
 * Bundles the browser example with esbuild (platform browser, ESM, minified) into
 * `examples/browser/dist/`: `index.html`, `main.js` and its source map. Serve that folder with a
 * `config.json` beside it (shape: `config.example.json`). `npm run build:browser` builds only;
 * `npm run example:browser` builds and serves it against the fakes (serve.ts).
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
// The page imports `phone-binding/…` as an app would; the repo's tsconfig `paths` map those names
// to the sources, and esbuild follows them (an app gets the same from node_modules).
const TSCONFIG = join(here, '..', '..', 'tsconfig.json');

/** The folder `npx tsx examples/browser/build.ts` writes to. */
export const DEFAULT_OUT_DIR = join(here, 'dist');

// What must never reach the page: Node built-ins, msw and the fakes (phone-binding/testing).
const FORBIDDEN_INPUT = /^node:|(^|\/)node_modules\/msw\/|(^|\/)src\/testing\//;

/** What {@link buildBrowserExample} wrote. */
export interface BrowserBuild {
  outDir: string;
  /** Bytes of `main.js`. */
  bytes: number;
  /** The bundled source files (relative to the working directory). */
  inputs: string[];
}

/** Builds the example into `outDir` (emptied first). Throws if a Node-only module got bundled. */
export async function buildBrowserExample(outDir: string = DEFAULT_OUT_DIR): Promise<BrowserBuild> {
  const out = resolve(outDir);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: [join(here, 'main.ts')],
    outfile: join(out, 'main.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    metafile: true,
    tsconfig: TSCONFIG,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = inputs.filter((input) => FORBIDDEN_INPUT.test(input));
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('main.js'));
  const external = output?.[1].imports.filter((item) => item.external).map((item) => item.path) ?? [];
  if (forbidden.length > 0 || external.length > 0) {
    throw new Error(
      `The browser bundle must not contain Node-only code: ${[...forbidden, ...external].join(', ')}`,
    );
  }
  await copyFile(join(here, 'index.html'), join(out, 'index.html'));
  return { outDir: out, bytes: output?.[1].bytes ?? 0, inputs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { outDir, bytes } = await buildBrowserExample();
  console.log(`browser example → ${outDir} (main.js ${(bytes / 1024).toFixed(1)} KB minified)`);
}
