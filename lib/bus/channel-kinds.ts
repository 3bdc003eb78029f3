// The registry of channel kinds. A domain declares each of its kinds (name, id grammar, who may
// join, presence) and the server registers them when it attaches the bus; anything else is
// denied, and a denial never says whether the record exists.
import { processSingleton } from "@/lib/runtime/process-singleton";
import { parseChannelName } from "./channel-name";
import type { BusUser, BusUserId } from "./bus-user";
import type { Conflation } from "./conflated-event";

/**
 * `U`: the app's user, as its `authenticate` returns it. Methods (not function-valued fields), so
 * that a kind written for the app's user is a kind of the bus: attachBus ties the two together.
 */
export type ChannelKind<U extends BusUser = BusUser> = {
  kind: string;
  /** The grammar of the id (`game:42`); a kind without one is a single channel (`lobby`). */
  id?: RegExp;
  /**
   * Whether `user` may receive the channel's notifications; called on every subscribe and sweep.
   * Async when it reads the database (the data layer is, on both engines).
   */
  authorize(user: U, id: string | undefined): boolean | Promise<boolean>;
  /** Whether subscribers see each other (the bus then announces `presence` on it). */
  presence?: boolean;
  /** Events merged per window into one notification (declared with `conflated()`, conflation.ts). */
  conflate?: Readonly<Record<string, Conflation>>;
};

export type ChannelSetup<U extends BusUser = BusUser> = {
  kinds: readonly ChannelKind<U>[];
  /** The channel every socket of a user joins on connect, so the bus can reach all their tabs. */
  personalChannel(userId: U["id"]): string;
};

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "channel-setup": { current: ChannelSetup | null };
  }
}

const setup = () => processSingleton("channel-setup", () => ({ current: null }));

/** Called once per process by whoever attaches the bus (server start-up, a test harness). */
export function registerChannels(channels: ChannelSetup): void {
  setup().current = channels;
}

/** The user's personal channel; throws when no channels were registered (a wiring bug). */
export function personalChannel(userId: BusUserId): string {
  const current = setup().current;
  if (!current) throw new Error("no channel kinds registered: attachBus() registers them");
  return current.personalChannel(userId);
}

function kindOf(name: string): { kind: ChannelKind; id: string | undefined } | null {
  const parsed = parseChannelName(name);
  const kind = parsed ? setup().current?.kinds.find((candidate) => candidate.kind === parsed.kind) : undefined;
  if (!parsed || !kind) return null;
  const idMatches = parsed.id === undefined ? kind.id === undefined : kind.id?.test(parsed.id) === true;
  return idMatches ? { kind, id: parsed.id } : null;
}

/** Whether `user` may receive the notifications of channel `name`. */
export async function authorizeChannel(user: BusUser, name: string): Promise<boolean> {
  const found = kindOf(name);
  return found !== null && (await found.kind.authorize(user, found.id));
}

/** Whether the channel's kind opted in to presence. */
export function hasPresence(name: string): boolean {
  return kindOf(name)?.kind.presence === true;
}

/** How `event` on channel `name` is conflated, or undefined when it is announced one by one. */
export function conflationOf(name: string, event: string): Conflation | undefined {
  const conflate = kindOf(name)?.kind.conflate;
  return conflate && Object.hasOwn(conflate, event) ? conflate[event] : undefined;
}
