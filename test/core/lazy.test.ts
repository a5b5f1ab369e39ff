/**
 * `lazy()` (src/internal/lazy.ts): a module-level schema is built on first use, once, and its
 * stand-in behaves as the schema wherever the project uses one.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { lazy } from '../../src/internal/lazy.js';

describe('lazy', () => {
  it('builds nothing until first use, then once', () => {
    let builds = 0;
    const schema = lazy(() => {
      builds += 1;
      return z.object({ a: z.string() });
    });
    const wrapped = z.optional(schema);
    expect(builds).toBe(0);
    expect(wrapped.safeParse({ a: 'x' }).success).toBe(true);
    expect(schema.safeParse({ a: 1 }).success).toBe(false);
    expect(builds).toBe(1);
  });

  it('composes as the schema it stands for: nested, in unions and arrays, extended, checked', () => {
    const inner = lazy(() => z.object({ a: z.string(), b: z.optional(z.number()) }));
    const outer = lazy(() =>
      z.object({ one: z.optional(inner), many: z.array(inner), either: z.union([inner, z.string()]) }),
    );
    expect(outer.safeParse({ one: { a: 'x' }, many: [{ a: 'y', b: 1 }], either: 's' })).toEqual({
      success: true,
      data: { one: { a: 'x' }, many: [{ a: 'y', b: 1 }], either: 's' },
    });
    expect(outer.safeParse({ many: [{ a: 1 }], either: 3 }).error?.issues.map((issue) => issue.path)).toEqual(
      [['many', 0, 'a'], ['either']],
    );
    const extended = z.extend(inner, { c: z.boolean() });
    expect(extended.safeParse({ a: 'x', c: true }).success).toBe(true);
    expect(extended.safeParse({ a: 'x' }).success).toBe(false);
    const checked = inner.check(z.refine((value) => value.a !== 'no'));
    expect(checked.safeParse({ a: 'no' }).success).toBe(false);
    expect(inner instanceof z.ZodMiniObject).toBe(true);
    expect(inner._zod.def.type).toBe('object');
  });

  it('a lazy shape spreads into an object like the shape itself', () => {
    const shape = lazy(() => ({ flag: z.optional(z.boolean()) }));
    const schema = z.strictObject({ name: z.string(), ...shape });
    expect(Object.keys(schema._zod.def.shape)).toEqual(['name', 'flag']);
    expect(schema.safeParse({ name: 'n', flag: true }).success).toBe(true);
    expect(schema.safeParse({ name: 'n', flag: 'yes' }).success).toBe(false);
  });
});
