// Revoking an API token: the token stops working, and the sockets it authenticated are cut at
// once, on every node (lib/bus/revoke.ts), not at their next request.
import { deleteApiToken } from "@/lib/auth/api-tokens";
import { disconnectCredential } from "@/lib/bus/revoke";
import { log } from "@/lib/log";

/** Whether the user had that token. */
export async function revokeApiToken(userId: number, tokenId: number): Promise<boolean> {
  const revoked = await deleteApiToken(userId, tokenId);
  if (revoked)
    disconnectCredential(userId, { kind: "token", tokenId }).catch((error: unknown) =>
      log.warn({ err: error, tokenId }, "disconnecting a revoked token's sockets failed"),
    );
  return revoked;
}
