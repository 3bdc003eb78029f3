// "Sign out everywhere": every session token of the user stops working and every live socket
// of theirs is told and disconnected.
import { eq, sql } from "drizzle-orm";
import { users } from "@/db/tables";
import { userChannel } from "@/lib/realtime/user-channel";
import { disconnectUser } from "@/lib/bus/revoke";
import { transact } from "@/lib/realtime/transact";

export async function signOutEverywhere(userId: number): Promise<void> {
  await transact(async ({ tx, announce, afterCommit }) => {
    await tx
      .update(users)
      .set({ sessionEpoch: sql`${users.sessionEpoch} + 1` })
      .where(eq(users.id, userId));
    announce(userChannel(userId), "session_revoked", {});
    afterCommit(() => disconnectUser(userId));
  });
}
