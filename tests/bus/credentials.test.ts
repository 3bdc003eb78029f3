// A socket lives only as long as what it authenticated with: revoking an API token disconnects
// the sockets that used it (and no other socket of the user), and a session socket is
// disconnected when its session token expires, told why first.
import { describe, expect, it } from "vitest";
import { nextDisconnect, nextRevoked, busHarnessForFile, subscribeOk } from "../support/bus-harness";

const h = busHarnessForFile();

describe("credentials of live sockets", () => {
  it("disconnects the sockets of a revoked API token at once, and only those", async () => {
    const alice = await h.user("alice");
    const [viaToken, viaCookie] = await Promise.all([h.connect(alice, { via: "token" }), h.connect(alice, { via: "cookie" })]);
    await subscribeOk(viaToken, { channels: ["lobby"] });
    const [token] = await h.lib.apiTokens.listApiTokens(alice.id);
    expect(token).toBeDefined();
    const told = nextRevoked(viaToken);
    const gone = nextDisconnect(viaToken);
    expect(await h.lib.apiTokens.revokeApiToken(alice.id, token?.id ?? 0)).toBe(true);
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
});
