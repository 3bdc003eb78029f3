// Live revocation: when access ends (member removed, game deleted, signed out everywhere) the
// affected sockets, on every tab and every node, leave the room at once and are told why.
//
// Each node applies a revocation to its own sockets, in one synchronous step: this node first,
// then the others through one `revoke` cluster message. The Redis adapter's own socketsLeave
// would not do: it reaches even this node's sockets only once its request came back through
// Redis, so the change's own notifications, emitted locally right after, reached them after
// `revoked`. Done this way, `revoked` is the last thing of the channel a socket gets on any node:
// the other nodes hear the message before the notifications published after it.
import { z } from "zod";
import { personalChannel } from "./channel-kinds";
import { revokedSchema } from "./client/wire-schemas";
import type { Channel, RevokedMessage } from "./events";
import { busClustered, busLinkDown, busScope, busServer, type BusScope, type BusServer } from "./io";
import { metrics } from "./metrics";
import { forgetPresence, schedulePresence } from "./presence";

const userId = z.union([z.number(), z.string()]);
const { reason } = revokedSchema.shape;

/** One revocation as every node applies it to its own sockets. */
const revokeOrder = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), userId, channel: z.string(), reason }),
  z.object({ kind: z.literal("channel"), channel: z.string(), reason, readers: z.array(userId) }),
  z.object({ kind: z.literal("disconnect"), userId }),
]);
type RevokeOrder = z.infer<typeof revokeOrder>;

function applyLocally(local: BusScope, order: RevokeOrder): void {
  switch (order.kind) {
    case "user": {
      const own = personalChannel(order.userId);
      local.in(own).socketsLeave(order.channel);
      local.to(own).emit("revoked", { channel: order.channel, reason: order.reason });
      return;
    }
    case "channel": {
      local.to(order.channel).emit("revoked", { channel: order.channel, reason: order.reason });
      local.in(order.channel).socketsLeave(order.channel);
      if (order.readers.length > 0) local.in(order.readers.map(personalChannel)).socketsLeave(order.channel);
      forgetPresence(order.channel);
      return;
    }
    case "disconnect": {
      const own = personalChannel(order.userId);
      local.to(own).emit("revoked", { channel: own, reason: "signed_out" });
      local.in(own).disconnectSockets(true);
    }
  }
}

/**
 * This node's sockets now, the other nodes' through the cluster. While the link is down the
 * others cannot hear it; their access sweep cuts their sockets when it returns (cluster.ts).
 */
function revoke(order: RevokeOrder): void {
  const io = busServer();
  if (!io) return;
  applyLocally(io.local, order);
  if (busClustered() && !busLinkDown()) io.serverSideEmit("revoke", order);
}

/** Applies another node's revocation to this node's sockets (cluster.ts listens for it). */
export function listenForRevocations(io: BusServer): void {
  io.on("revoke", (raw) => {
    const order = revokeOrder.safeParse(raw);
    if (order.success) applyLocally(io.local, order.data);
  });
}

/** Removes every socket of one user from `channel` and sends them `revoked`. */
export function revokeUserFromChannel(userId: number | string, channel: Channel, why: RevokedMessage["reason"]): void {
  revoke({ kind: "user", userId, channel, reason: why });
  metrics().revocations.inc({ reason: why });
  schedulePresence(channel);
}

/**
 * Closes a channel for everyone in it (the record is gone). `readers`: the users who could see
 * it, read in the transaction that ended it. Their sockets with a subscribe of it in flight
 * (access checked, room not yet joined) are not in the room, so only a leave through their
 * personal channels reaches them, and that subscribe then denies the channel instead of joining
 * a room nobody will ever close again.
 */
export function revokeChannel(
  channel: Channel,
  why: RevokedMessage["reason"],
  readers: readonly (number | string)[],
): void {
  revoke({ kind: "channel", channel, reason: why, readers: [...readers] });
  metrics().revocations.inc({ reason: why });
}

/** Disconnects every socket of the user (their sessions were revoked). */
export function disconnectUser(userId: number | string): void {
  revoke({ kind: "disconnect", userId });
  metrics().revocations.inc({ reason: "signed_out" });
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
