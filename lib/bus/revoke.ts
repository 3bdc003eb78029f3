// Live revocation: when access ends (member removed, game deleted, signed out everywhere) the
// affected sockets, on every tab and every node, leave the room at once and are told why.
import { personalChannel } from "./channel-kinds";
import type { Channel, RevokedMessage } from "./events";
import { busScope } from "./io";
import { metrics } from "./metrics";
import { forgetPresence, schedulePresence } from "./presence";

/** Removes every socket of one user from `channel` and sends them `revoked`. */
export function revokeUserFromChannel(userId: number, channel: Channel, reason: RevokedMessage["reason"]): void {
  const scope = busScope();
  if (!scope) return;
  scope.in(personalChannel(userId)).socketsLeave(channel);
  scope.to(personalChannel(userId)).emit("revoked", { channel, reason });
  metrics().revocations.inc({ reason });
  schedulePresence(channel);
}

/**
 * Closes a channel for everyone in it (the record is gone). `readers`: the users who could see
 * it. Their sockets with a subscribe of it in flight (access checked, room not yet joined) are
 * not in the room, so only a leave through their personal channels reaches them, and that
 * subscribe then denies the channel instead of joining a room nobody will ever close again.
 */
export function revokeChannel(
  channel: Channel,
  reason: RevokedMessage["reason"],
  readers: readonly number[] = [],
): void {
  const scope = busScope();
  if (!scope) return;
  scope.to(channel).emit("revoked", { channel, reason });
  metrics().revocations.inc({ reason });
  scope.in(channel).socketsLeave(channel);
  if (readers.length > 0) scope.in(readers.map(personalChannel)).socketsLeave(channel);
  forgetPresence(channel);
}

/** Disconnects every socket of the user (their sessions were revoked). */
export function disconnectUser(userId: number): void {
  const scope = busScope();
  if (!scope) return;
  scope.to(personalChannel(userId)).emit("revoked", { channel: personalChannel(userId), reason: "signed_out" });
  metrics().revocations.inc({ reason: "signed_out" });
  scope.in(personalChannel(userId)).disconnectSockets(true);
}

/** Disconnects, on every node, the sockets of the user that authenticated with `credential`. */
export async function disconnectCredential(
  userId: number,
  credential: { kind: "token"; tokenId: number },
): Promise<void> {
  const scope = busScope();
  if (!scope) return;
  const channel = personalChannel(userId);
  for (const socket of await scope.in(channel).fetchSockets()) {
    const used = socket.data.credential;
    if (used?.kind !== credential.kind || used.tokenId !== credential.tokenId) continue;
    socket.emit("revoked", { channel, reason: "signed_out" });
    socket.disconnect(true);
    metrics().revocations.inc({ reason: "signed_out" });
  }
}
