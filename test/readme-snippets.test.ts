/**
 * Every ```ts block in README.md compiles under the project's strict compiler options, importing
 * `phone-binding/…` as an app does (tsconfig `paths` map the names to the sources). A block may be
 * preceded by a hidden `<!-- ts-context … -->` comment: declarations it leans on (`declare const
 * session: …`), compiled in front of it but not shown on GitHub. Each block is its own module.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
// Inside the repo (and git-ignored) so that bare imports such as `msw/node` find node_modules.
const DIR = join(ROOT, '.tmp', 'readme-snippets');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Snippet {
  /** README line of the opening fence. */
  line: number;
  context: string;
  code: string;
}

function snippets(markdown: string): Snippet[] {
  const found: Snippet[] = [];
  const block = /(?:<!-- ts-context\n([\s\S]*?)-->\n)?```ts\n([\s\S]*?)\n```/g;
  for (const match of markdown.matchAll(block)) {
    const fence = match.index + (match[0].indexOf('```ts') ?? 0);
    found.push({
      line: markdown.slice(0, fence).split('\n').length,
      context: (match[1] ?? '').trim(),
      code: match[2] ?? '',
    });
  }
  return found;
}

const all = snippets(readme);

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('README code', () => {
  it('has ts blocks, none typed `any`', () => {
    expect(all.length).toBeGreaterThan(10);
    const withAny = all.filter((s) => /(:|\bas)\s*any\b|<any>/.test(`${s.context}\n${s.code}`));
    expect(withAny.map((s) => `README.md:${s.line}`)).toEqual([]);
  });

  it('every ts block compiles under strict TypeScript', () => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    const files = all.map((snippet) => {
      const file = join(DIR, `readme-line-${snippet.line}.ts`);
      // The context first, then the block; `export {}` makes each file a module (top-level await).
      writeFileSync(file, `${snippet.context}\n${snippet.code}\nexport {};\n`);
      return { file, snippet };
    });
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (!parsed) throw new Error('tsconfig.json could not be read');
    const program = ts.createProgram(
      files.map(({ file }) => file),
      { ...parsed.options, noEmit: true, noUnusedLocals: false },
    );
    const byFile = new Map(files.map(({ file, snippet }) => [file, snippet]));
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && byFile.has(diagnostic.file.fileName))
      .map((diagnostic) => {
        const file = diagnostic.file as ts.SourceFile;
        const snippet = byFile.get(file.fileName) as Snippet;
        const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        const contextLines = snippet.context.length === 0 ? 1 : snippet.context.split('\n').length;
        const inCode = line - contextLines;
        const where =
          inCode >= 0 ? `README.md:${snippet.line + 1 + inCode}` : `README.md:${snippet.line} (context)`;
        return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
      });
    expect(problems).toEqual([]);
  }, 60_000);
});
