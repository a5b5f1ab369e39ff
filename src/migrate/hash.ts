/**
 * Stable hashes: the shard of a user (the same on every machine and every run) and the keyed
 * fingerprint of a number for the journal. Web APIs only (edge runtimes).
 */

const encoder = new TextEncoder();

/**
 * The shard (0 … count − 1) a source user id belongs to: FNV-1a (32 bits) of its UTF-8 bytes,
 * modulo `count`. Stable across processes, machines and versions, so several runs with
 * `shard: { index, count }` for every index cover the users exactly once together.
 *
 * @example
 * ```ts
 * import { shardOf } from 'phone-binding/migrate';
 *
 * shardOf('user_2abc', 4); // always the same number in 0…3
 * ```
 */
export function shardOf(sourceId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(sourceId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

/** An HMAC-SHA-256 signer under `key`: the hex of the first 16 bytes of the MAC of a text. */
export async function hmacSigner(key: string): Promise<(text: string) => Promise<string>> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return async (text) => {
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(text)));
    return Array.from(mac.subarray(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('');
  };
}
