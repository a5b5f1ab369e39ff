import { invalidInput } from './input.js';

/** `true` in a page (window.document) or a browser worker (importScripts); server runtimes have neither. */
export function inBrowser(): boolean {
  const g = globalThis as { window?: { document?: unknown }; importScripts?: unknown };
  return (
    (typeof g.window === 'object' && g.window !== null && typeof g.window.document === 'object') ||
    typeof g.importScripts === 'function'
  );
}

/** Refuses to create a server-secret adapter in a browser unless explicitly allowed. */
export function refuseInBrowser(factory: string, secretName: string, allowed: boolean | undefined): void {
  if (inBrowser() && allowed !== true) {
    throw invalidInput(
      `${factory}() holds a server secret (${secretName}) and refuses to run in a browser, where anyone can read it. ` +
        'Call it from your server, or pass dangerouslyAllowBrowser: true if you really mean it.',
    );
  }
}
