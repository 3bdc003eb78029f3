// Who may join the game's channels, checked by the bus on every subscribe and access sweep:
// members (owner included) for `game:<id>`, any signed-in user for `lobby`.
import type { SessionUser } from "@/lib/auth/users";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import { parseRecordId } from "@/lib/runtime/record-id";
import { memberRole } from "./membership";
import { activityConflation } from "./activity-signal";
import { tallyConflation } from "./tally";

export const gameChannelKind: ChannelKind<SessionUser> = {
  kind: "game",
  id: /^[1-9]\d{0,15}$/,
  presence: true,
  conflate: { tally: tallyConflation, activity: activityConflation },
  authorize: async (user, id) => {
    const gameId = parseRecordId(id);
    return gameId !== null && (await memberRole(gameId, user.id)) !== null;
  },
};

export const lobbyChannelKind: ChannelKind<SessionUser> = { kind: "lobby", authorize: () => true };
