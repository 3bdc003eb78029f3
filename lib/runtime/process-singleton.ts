// One instance per Node process of things that server.ts and the Next bundles must share
// (database, Socket.IO server, in-memory limits). Next compiles actions and route handlers
// into bundles separate from server.ts, and dev hot reload re-evaluates modules, so plain
// module-level variables would silently split into several copies.

const registry = globalThis as typeof globalThis & { __clickbus?: Map<string, unknown> };

/** Returns the process-wide value stored under `key`, creating it on first use. */
export function processSingleton<T>(key: string, create: () => T): T {
  registry.__clickbus ??= new Map();
  if (!registry.__clickbus.has(key)) registry.__clickbus.set(key, create());
  return registry.__clickbus.get(key) as T;
}

/** Replaces (or clears, with undefined) a process-wide value; used by start-up and shutdown. */
export function setProcessSingleton<T>(key: string, value: T | undefined): void {
  registry.__clickbus ??= new Map();
  if (value === undefined) registry.__clickbus.delete(key);
  else registry.__clickbus.set(key, value);
}

/** Reads a process-wide value without creating it. */
export function peekProcessSingleton<T>(key: string): T | undefined {
  return registry.__clickbus?.get(key) as T | undefined;
}
