// A socket lives only as long as what it authenticated with: revoking an API token disconnects
// the sockets that used it (and no other socket of the user), and a session socket is
// disconnected when its session token expires, told why first; a re-check that cannot get an
// answer (the database failed) ends nothing.
import { describe, expect, it } from "vitest";
import { nextDisconnect, nextRevoked, busHarnessForFile, record, subscribeOk } from "../support/bus-harness";

const h = busHarnessForFile();

describe("credentials of live sockets", () => {
  it("disconnects the sockets of a revoked API token at once, and only those", async () => {
    const alice = await h.user("alice");
    const [viaToken, viaCookie] = await Promise.all([
      h.connect(alice, { via: "token" }),
      h.connect(alice, { via: "cookie" }),
    ]);
    await subscribeOk(viaToken, { channels: ["lobby"] });
    const [token] = await h.lib.apiTokens.listApiTokens(alice.id);
    expect(token).toBeDefined();
    const told = nextRevoked(viaToken);
    const gone = nextDisconnect(viaToken);
    expect(await h.lib.revokeApiToken.revokeApiToken(alice.id, token?.id ?? 0)).toBe(true);
    expect(await told).toEqual({ channel: `user:${alice.id}`, reason: "signed_out" });
    expect(await gone).toBe("io server disconnect");
    expect(viaCookie.connected).toBe(true);
    expect(await subscribeOk(viaCookie, { channels: ["lobby"] })).toMatchObject({ granted: ["lobby"] });
    expect(await h.refusedConnection({ token: alice.token })).toBe("unauthorized");
  });

  it("disconnects a session socket when its session expires", async () => {
    const bob = await h.user("bob");
    const socket = await h.connectWith({ cookie: await h.sessionCookie(bob, 0, 2) });
    expect(await subscribeOk(socket, { channels: ["lobby"] })).toMatchObject({ granted: ["lobby"] });
    const told = nextRevoked(socket, { ms: 5000 });
    const gone = nextDisconnect(socket);
    expect(await told).toEqual({ channel: `user:${bob.id}`, reason: "signed_out" });
    expect(await gone).toBe("io server disconnect");
    const fresh = await h.connectWith({ cookie: await h.sessionCookie(bob) });
    expect(fresh.connected).toBe(true);
  });

  it("keeps a socket whose credentials cannot be re-checked after a Redis outage because the database failed", async () => {
    const carol = await h.user("carol");
    const socket = await h.connect(carol, { via: "cookie" });
    await subscribeOk(socket, { channels: ["lobby"] });
    const seen = record(socket);
    await renameUsersTable("users", "users_away");
    try {
      // Whether the catch-up as a whole fails does not matter here: what it did to the socket does.
      await h.lib.catchUp.catchUpFrom(0).catch(() => undefined);
    } finally {
      await renameUsersTable("users_away", "users");
    }
    expect(seen.revoked).toEqual([]);
    expect(socket.connected).toBe(true);
    expect(await subscribeOk(socket, { channels: ["lobby"] })).toMatchObject({ granted: ["lobby"] });
  });
});

/** Takes the users table away (every session lookup then fails) or brings it back, on either engine. */
async function renameUsersTable(from: string, to: string): Promise<void> {
  const { sqlite, postgres } = h.lib.db.engine();
  const statement = `ALTER TABLE ${from} RENAME TO ${to}`;
  if (sqlite) sqlite.writer.exec(statement);
  else if (postgres) await postgres.query(statement);
  else throw new Error("no engine to rename the users table on");
}
