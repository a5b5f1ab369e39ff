/**
 * `lazy(() => z.object(…))` stands for the schema it builds, and builds it on first use.
 *
 * Why: Node evaluates every module an entry loads, and a schema at module level is built then,
 * whether a call ever reads it or not. Building zod schemas is the largest part of the
 * project's own import time — the first one built also compiles much of zod, ~2–3 ms — and an
 * entry such as `phone-binding/all` holds every adapter's. Built on first use, an import pays
 * none of it and a call pays only for the schemas it reads, once.
 *
 * The stand-in forwards every property read (and `in`, writes, keys) to the built value, so it
 * composes like the schema itself (`z.optional(lazySchema)`, `schema.safeParse`, `z.extend`).
 * A schema built inside another's builder needs no `lazy` of its own.
 */
/* @__NO_SIDE_EFFECTS__ */
export function lazy<T extends object>(build: () => T): T {
  let built: T | undefined;
  const value = (): T => {
    built ??= build();
    return built;
  };
  return new Proxy(Object.create(null) as T, {
    get: (_, key) => Reflect.get(value(), key),
    has: (_, key) => Reflect.has(value(), key),
    set: (_, key, next) => Reflect.set(value(), key, next),
    getPrototypeOf: () => Reflect.getPrototypeOf(value()),
    ownKeys: () => Reflect.ownKeys(value()),
    // Reported configurable: the stand-in's own target has none of these properties (a proxy
    // may not report a property non-configurable that its target lacks).
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(value(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
