// The registry of channel kinds: each declares who may join `kind:id`. Anything not listed is
// denied. A denial never says whether the record exists. To add a kind, add an entry here and
// its events to events.ts (see docs/bus.md).
import type { SessionUser } from "@/lib/auth/users";
import { memberRole } from "@/lib/games/membership";
import { parseChannelName, type GameChannel } from "./channel-name";

type ChannelKind = {
  /** Whether the kind takes an id (`game:42`) or is a single channel (`lobby`). */
  hasId: boolean;
  authorize: (user: SessionUser, id: string | undefined) => boolean;
  /** Whether subscribers of this kind see each other's presence. */
  presence?: boolean;
};

const positiveId = (id: string | undefined): number | null => (id && /^[1-9]\d{0,15}$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : null);

const kinds: Record<string, ChannelKind> = {
  user: { hasId: true, authorize: (user, id) => positiveId(id) === user.id },
  game: {
    hasId: true,
    presence: true,
    authorize: (user, id) => {
      const gameId = positiveId(id);
      return gameId !== null && memberRole(gameId, user.id) !== null;
    },
  },
  lobby: { hasId: false, authorize: () => true },
};

function kindOf(name: string): ChannelKind | null {
  const parsed = parseChannelName(name);
  if (!parsed || !Object.hasOwn(kinds, parsed.kind)) return null;
  const kind = kinds[parsed.kind];
  return kind && kind.hasId === (parsed.id !== undefined) ? kind : null;
}

/** Whether `user` may receive the notifications of channel `name`. */
export function authorizeChannel(user: SessionUser, name: string): boolean {
  const parsed = parseChannelName(name);
  const kind = kindOf(name);
  return Boolean(parsed && kind?.authorize(user, parsed.id));
}

/** Presence is a game feature today; widen the guard when another kind opts in. */
export function hasPresence(name: string): name is GameChannel {
  return kindOf(name)?.presence === true;
}
