// Live revocation: when access ends (member removed, game deleted, signed out everywhere) the
// affected sockets, on every tab and every node, leave the room at once and are told why.
import { userChannel, type GameChannel } from "./channel-name";
import type { RevokedMessage } from "./events";
import { busScope } from "./io";
import { metrics } from "./metrics";
import { schedulePresence } from "./presence";

/** Removes every socket of one user from `channel` and sends them `revoked`. */
export function revokeUserFromChannel(userId: number, channel: GameChannel, reason: RevokedMessage["reason"]): void {
  const scope = busScope();
  if (!scope) return;
  scope.in(userChannel(userId)).socketsLeave(channel);
  scope.to(userChannel(userId)).emit("revoked", { channel, reason });
  metrics().revocations.inc({ reason });
  schedulePresence(channel);
}

/** Closes a channel for everyone in it (the record is gone). */
export function revokeChannel(channel: GameChannel, reason: RevokedMessage["reason"]): void {
  const scope = busScope();
  if (!scope) return;
  scope.to(channel).emit("revoked", { channel, reason });
  metrics().revocations.inc({ reason });
  scope.in(channel).socketsLeave(channel);
}

/** Disconnects every socket of the user (their sessions were revoked). */
export function disconnectUser(userId: number): void {
  const scope = busScope();
  if (!scope) return;
  scope.to(userChannel(userId)).emit("revoked", { channel: userChannel(userId), reason: "signed_out" });
  metrics().revocations.inc({ reason: "signed_out" });
  scope.in(userChannel(userId)).disconnectSockets(true);
}
