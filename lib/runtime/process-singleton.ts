// One instance per Node process of things that server.ts and the Next bundles must share
// (database, Socket.IO server, in-memory limits). Next compiles actions and route handlers
// into bundles separate from server.ts, and dev hot reload re-evaluates modules, so plain
// module-level variables would silently split into several copies.

/**
 * Every process-wide value, by key. Empty here so that lib/runtime imports no upper layer: each
 * owning module declares its keys beside their use, by augmenting this interface
 * (`declare module "@/lib/runtime/process-singleton" { interface ProcessSingletons { ... } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ProcessSingletons {}

export type ProcessSingletonKey = keyof ProcessSingletons;

type Stored = Partial<ProcessSingletons>;

const holder = globalThis as typeof globalThis & { __clickbusSingletons?: Stored };

function stored(): Stored {
  holder.__clickbusSingletons ??= {};
  return holder.__clickbusSingletons;
}

/** Returns the process-wide value stored under `key`, creating it on first use. */
export function processSingleton<K extends ProcessSingletonKey>(
  key: K,
  create: () => ProcessSingletons[K],
): ProcessSingletons[K] {
  const values = stored();
  const existing = values[key];
  if (existing !== undefined) return existing;
  const created = create();
  values[key] = created;
  return created;
}

/** Replaces (or clears, with undefined) a process-wide value; used by start-up and shutdown. */
export function setProcessSingleton<K extends ProcessSingletonKey>(
  key: K,
  value: ProcessSingletons[K] | undefined,
): void {
  const values = stored();
  if (value === undefined) delete values[key];
  else values[key] = value;
}

/** Reads a process-wide value without creating it. */
export function peekProcessSingleton<K extends ProcessSingletonKey>(key: K): ProcessSingletons[K] | undefined {
  return holder.__clickbusSingletons?.[key];
}
