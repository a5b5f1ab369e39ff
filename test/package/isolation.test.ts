/**
 * Importing one adapter's entry must not pull in another adapter's code: each entry is bundled as a
 * browser app would (esbuild, from source) and searched for the other adapters' marker strings.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Strings only that adapter's code contains (its wire paths and ids). */
const MARKERS: Record<string, string[]> = {
  etna: ['subscriptions', 'm_Item2', 'et-app-key'],
  authing: ['send-sms', 'CHANNEL_BIND_PHONE', 'unbind-phone'],
  zitadel: ['_resend_verification', 'COMMAND-eis9R', 'PHONE-5xrra88eq8'],
  clerk: ['prepare_verification', 'clerk-api-version', 'form_identifier_exists'],
};
const ENTRIES: Record<string, string> = {
  etna: 'adapters/etna/index.ts',
  authing: 'adapters/authing/index.ts',
  zitadel: 'adapters/zitadel/index.ts',
  clerk: 'adapters/clerk/index.ts',
};

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('each adapter entry carries only its own adapter', () => {
  it.each(Object.keys(ENTRIES))('phone-binding/%s', async (name) => {
    const code = await bundle(ENTRIES[name]!);
    for (const marker of MARKERS[name]!) expect(code, `its own marker ${marker}`).toContain(marker);
    for (const [other, markers] of Object.entries(MARKERS)) {
      if (other === name) continue;
      for (const marker of markers) expect(code, `${other}'s marker ${marker}`).not.toContain(marker);
    }
  });

  it('the core entry carries no adapter and no test tooling', async () => {
    const code = await bundle('src/index.ts');
    for (const marker of Object.values(MARKERS).flat()) expect(code).not.toContain(marker);
    expect(code).not.toContain('msw');
    expect(code).not.toContain('node:http');
  });
});
