/**
 * The public surface: every export of every entry has a TSDoc comment with an `@example` (a fenced
 * TypeScript snippet), so do the members of exported interfaces have comments, and no exported
 * signature mentions `any`.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ENTRIES } from '../adapters/registry.js';

const ENTRIES = PACKAGE_ENTRIES.map((entry) => entry.source);

const program = ts.createProgram(ENTRIES, {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  skipLibCheck: true,
  noEmit: true,
});
const checker = program.getTypeChecker();

function exportsOf(entry: string): ts.Symbol[] {
  const file = program.getSourceFile(entry);
  if (!file) throw new Error(`no source file ${entry}`);
  const module = checker.getSymbolAtLocation(file);
  if (!module) throw new Error(`${entry} is not a module`);
  return checker
    .getExportsOfModule(module)
    .map((symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol));
}

function documented(symbol: ts.Symbol): boolean {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim().length > 0;
}

/** The symbol's `@example` blocks, as text. */
function examplesOf(symbol: ts.Symbol): string[] {
  return symbol
    .getJsDocTags(checker)
    .filter((tag) => tag.name === 'example')
    .map((tag) => ts.displayPartsToString(tag.text));
}

describe.each(ENTRIES)('public surface of %s', (entry) => {
  const symbols = exportsOf(entry);

  it('exports something', () => {
    expect(symbols.length).toBeGreaterThan(0);
  });

  it('every export has a TSDoc comment', () => {
    expect(symbols.filter((symbol) => !documented(symbol)).map((symbol) => symbol.name)).toEqual([]);
  });

  it('every export has an @example', () => {
    expect(symbols.filter((symbol) => examplesOf(symbol).length === 0).map((symbol) => symbol.name)).toEqual(
      [],
    );
  });

  it('every @example holds a fenced TypeScript snippet', () => {
    const withoutSnippet = symbols.filter((symbol) =>
      examplesOf(symbol).some((example) => !/```ts\n[\s\S]*\S[\s\S]*\n```/.test(example)),
    );
    expect(withoutSnippet.map((symbol) => symbol.name)).toEqual([]);
  });

  it('every member of an exported interface or class has a TSDoc comment', () => {
    const missing: string[] = [];
    for (const symbol of symbols) {
      if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) continue;
      for (const member of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
        const declaration = member.declarations?.[0];
        // Members inherited from the standard library (Error's `message`, `stack`) are documented there.
        if (declaration?.getSourceFile().fileName.includes('node_modules')) continue;
        if (!documented(member)) missing.push(`${symbol.name}.${member.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('no exported declaration mentions `any`', () => {
    const offenders = symbols.filter((symbol) =>
      (symbol.declarations ?? []).some((declaration) => {
        if (declaration.getSourceFile().fileName.includes('node_modules')) return false;
        let found = false;
        const visit = (node: ts.Node) => {
          if (node.kind === ts.SyntaxKind.AnyKeyword) found = true;
          else ts.forEachChild(node, visit);
        };
        visit(declaration);
        return found;
      }),
    );
    expect(offenders.map((symbol) => symbol.name)).toEqual([]);
  });
});
