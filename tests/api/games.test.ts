// Games and members over the HTTP API against a real server: the happy paths, owner-only
// rules, and that a game the caller may not see is indistinguishable from a missing one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { errorAnswer, gameDetails, gameSummary, memberView, myGames } from "./answers";
import { call, newPlayer, type Player } from "./api-client";

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
});

afterAll(async () => {
  await server?.stop();
});

async function createGame(owner: Player, name: string) {
  const answer = await call(url, owner.browser, "POST", "/api/games", { json: { name } });
  expect(answer.status).toBe(201);
  return gameSummary.parse(answer.body);
}

async function details(player: Player, gameId: number) {
  const answer = await call(url, player.browser, "GET", `/api/games/${gameId}`);
  expect(answer.status).toBe(200);
  return gameDetails.parse(answer.body);
}

async function invite(owner: Player, gameId: number, username: string) {
  const answer = await call(url, owner.browser, "POST", `/api/games/${gameId}/members`, { json: { username } });
  expect(answer.status).toBe(201);
  return memberView.parse(answer.body);
}

async function idOf(player: Player, gameId: number, username: string): Promise<number> {
  const member = (await details(player, gameId)).members.find((entry) => entry.username === username);
  if (!member) throw new Error(`${username} is not in game ${gameId}`);
  return member.id;
}

describe("happy paths", () => {
  it("creates, lists, reads, renames and deletes a game", async () => {
    const alice = await newPlayer(url, "alice");
    const created = await call(url, alice.browser, "POST", "/api/games", { json: { name: "  Workshop  " } });
    expect(created.status).toBe(201);
    const game = gameSummary.parse(created.body);
    expect(game).toMatchObject({ name: "Workshop", total: 0 });
    expect(created.headers.get("location")).toBe(`/api/games/${game.id}`);

    const list = myGames.parse((await call(url, alice.browser, "GET", "/api/games")).body);
    expect(list.games).toEqual([{ ...game, role: "owner", ownerName: alice.username, memberCount: 1 }]);

    const read = await details(alice, game.id);
    expect(read).toEqual({
      ...game,
      members: [{ id: game.ownerId, username: alice.username, role: "owner", clicks: 0 }],
    });

    const renamed = await call(url, alice.browser, "PATCH", `/api/games/${game.id}`, { json: { name: "Renamed" } });
    expect(renamed.status).toBe(200);
    expect(gameSummary.parse(renamed.body)).toEqual({ ...game, name: "Renamed" });
    expect((await details(alice, game.id)).name).toBe("Renamed");

    const deleted = await call(url, alice.browser, "DELETE", `/api/games/${game.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await call(url, alice.browser, "GET", `/api/games/${game.id}`)).status).toBe(404);
    expect(myGames.parse((await call(url, alice.browser, "GET", "/api/games")).body).games).toEqual([]);
  });

  it("invites a member, who sees the game, and removes them again", async () => {
    const alice = await newPlayer(url, "alice");
    const bob = await newPlayer(url, "bob");
    const game = await createGame(alice, "Team");

    const member = await invite(alice, game.id, bob.username.toUpperCase());
    expect(member).toMatchObject({ username: bob.username, role: "player", clicks: 0 });
    const bobsGames = myGames.parse((await call(url, bob.browser, "GET", "/api/games")).body);
    expect(bobsGames.games.map((entry) => [entry.id, entry.role, entry.memberCount])).toEqual([[game.id, "player", 2]]);

    const removed = await call(url, alice.browser, "DELETE", `/api/games/${game.id}/members/${member.id}`);
    expect(removed.status).toBe(204);
    expect(myGames.parse((await call(url, bob.browser, "GET", "/api/games")).body).games).toEqual([]);
    expect((await details(alice, game.id)).members.map((entry) => entry.username)).toEqual([alice.username]);
  });

  it("lets a member leave by removing themselves", async () => {
    const alice = await newPlayer(url, "alice");
    const bob = await newPlayer(url, "bob");
    const game = await createGame(alice, "Leaving");
    const { id: bobId } = await invite(alice, game.id, bob.username);

    const left = await call(url, bob.browser, "DELETE", `/api/games/${game.id}/members/${bobId}`);
    expect(left.status).toBe(204);
    expect((await call(url, bob.browser, "GET", `/api/games/${game.id}`)).status).toBe(404);
  });

  it("answers the documented errors of invitations and removals", async () => {
    const alice = await newPlayer(url, "alice");
    const bob = await newPlayer(url, "bob");
    const game = await createGame(alice, "Errors");
    await invite(alice, game.id, bob.username);

    const again = await call(url, alice.browser, "POST", `/api/games/${game.id}/members`, {
      json: { username: bob.username },
    });
    expect(again.status).toBe(409);
    expect(errorAnswer.parse(again.body).error).toBe("conflict");
    const nobody = await call(url, alice.browser, "POST", `/api/games/${game.id}/members`, {
      json: { username: "no_such_player" },
    });
    expect(nobody.status).toBe(404);
    const badName = await call(url, alice.browser, "POST", `/api/games/${game.id}/members`, {
      json: { username: "x" },
    });
    expect(badName.status).toBe(400);
    expect(errorAnswer.parse(badName.body).error).toBe("invalid");

    const ownerLeaves = await call(url, alice.browser, "DELETE", `/api/games/${game.id}/members/${game.ownerId}`);
    expect(ownerLeaves.status).toBe(409);
    const notAMember = await call(url, alice.browser, "DELETE", `/api/games/${game.id}/members/999999`);
    expect(notAMember.status).toBe(404);
    const malformed = await call(url, alice.browser, "DELETE", `/api/games/${game.id}/members/abc`);
    expect(malformed.status).toBe(404);
    expect(malformed.body).toEqual(notAMember.body);
    expect((await details(alice, game.id)).members).toHaveLength(2);
  });
});

describe("owner-only operations", () => {
  it("refuses rename, delete, invite and removal by a member with 403, but lets them read and click", async () => {
    const alice = await newPlayer(url, "alice");
    const bob = await newPlayer(url, "bob");
    const carol = await newPlayer(url, "carol");
    const game = await createGame(alice, "Owned");
    await invite(alice, game.id, bob.username);
    const before = await details(alice, game.id);

    const attempts = [
      await call(url, bob.browser, "PATCH", `/api/games/${game.id}`, { json: { name: "Taken over" } }),
      await call(url, bob.browser, "DELETE", `/api/games/${game.id}`),
      await call(url, bob.browser, "POST", `/api/games/${game.id}/members`, { json: { username: carol.username } }),
      await call(url, bob.browser, "DELETE", `/api/games/${game.id}/members/${game.ownerId}`),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(403);
      expect(errorAnswer.parse(attempt.body).error).toBe("forbidden");
    }
    expect(await details(alice, game.id)).toEqual(before);

    expect(await details(bob, game.id)).toEqual(before);
    const clicked = await call(url, bob.browser, "POST", `/api/games/${game.id}/clicks`, {
      json: { count: 3, batchId: "bob-batch-0001" },
    });
    expect(clicked.body).toMatchObject({ total: 3 });
  });
});

describe("a game the caller may not see", () => {
  it("answers every endpoint exactly like a game that does not exist", async () => {
    const alice = await newPlayer(url, "alice");
    const bob = await newPlayer(url, "bob");
    const carol = await newPlayer(url, "carol");
    const game = await createGame(alice, "Private");
    await invite(alice, game.id, bob.username);
    const bobId = await idOf(alice, game.id, bob.username);
    const before = await details(alice, game.id);
    const missing = 987654321;

    const probes = (id: number | string) => [
      call(url, carol.browser, "GET", `/api/games/${id}`),
      call(url, carol.browser, "PATCH", `/api/games/${id}`, { json: { name: "pwned" } }),
      call(url, carol.browser, "DELETE", `/api/games/${id}`),
      call(url, carol.browser, "POST", `/api/games/${id}/clicks`, { json: { count: 5, batchId: `probe-${id}-0001` } }),
      call(url, carol.browser, "POST", `/api/games/${id}/members`, { json: { username: carol.username } }),
      call(url, carol.browser, "DELETE", `/api/games/${id}/members/${bobId}`),
      call(url, carol.browser, "DELETE", `/api/games/${id}/members/${game.ownerId}`),
    ];
    const foreign = await Promise.all(probes(game.id));
    const absent = await Promise.all(probes(missing));
    const malformed = await Promise.all(probes("0x1"));
    for (const [index, answer] of foreign.entries()) {
      expect(answer.status, `probe ${index}`).toBe(404);
      expect(errorAnswer.parse(answer.body).error).toBe("not_found");
      expect(answer.text, `probe ${index}`).toBe(absent[index]?.text);
      expect(answer.text, `probe ${index}`).toBe(malformed[index]?.text);
    }

    expect(await details(alice, game.id)).toEqual(before);
    expect(myGames.parse((await call(url, carol.browser, "GET", "/api/games")).body).games).toEqual([]);
  });

  it("answers a removed member like a stranger", async () => {
    const alice = await newPlayer(url, "alice");
    const bob = await newPlayer(url, "bob");
    const game = await createGame(alice, "Was mine too");
    const { id: bobId } = await invite(alice, game.id, bob.username);
    expect((await call(url, alice.browser, "DELETE", `/api/games/${game.id}/members/${bobId}`)).status).toBe(204);

    const after = await call(url, bob.browser, "GET", `/api/games/${game.id}`);
    const absent = await call(url, bob.browser, "GET", "/api/games/987654321");
    expect(after.status).toBe(404);
    expect(after.text).toBe(absent.text);
  });
});
