// The `user:<id>` channel kind: each user's private channel, which all their sockets join on
// connect. Other domains add their own events to it (lib/games/channels.ts adds game_added…).
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import { parseRecordId } from "@/lib/runtime/record-id";

export type UserChannel = `user:${number}`;
export const userChannel = (userId: number): UserChannel => `user:${userId}`;

export interface UserEvents {
  session_revoked: Record<string, never>;
}

declare module "@/lib/bus/events" {
  interface ChannelTypes {
    user: { channel: UserChannel; events: UserEvents };
  }
}

export const userChannelKind: ChannelKind = {
  kind: "user",
  id: /^[1-9]\d{0,15}$/,
  authorize: (user, id) => parseRecordId(id) === user.id,
};
