// Channel names (`kind` or `kind:id`, docs/protocol.md#channel-names): the grammar every name from
// outside goes through. Which kinds exist, and who may join them, is the domains' business (see
// channel-kinds.ts).
import { z } from "zod";

export const CHANNEL_NAME = /^[a-z][a-z0-9_-]*(:[A-Za-z0-9_-]{1,64})?$/;
export const MAX_CHANNEL_NAME_LENGTH = 100;

export const channelNameSchema = z.string().max(MAX_CHANNEL_NAME_LENGTH).regex(CHANNEL_NAME);

export type ParsedChannel = { name: string; kind: string; id: string | undefined };

/** Splits a well-formed name into kind and id; null when the name is malformed. */
export function parseChannelName(name: string): ParsedChannel | null {
  if (!channelNameSchema.safeParse(name).success) return null;
  const at = name.indexOf(":");
  return at === -1 ? { name, kind: name, id: undefined } : { name, kind: name.slice(0, at), id: name.slice(at + 1) };
}
