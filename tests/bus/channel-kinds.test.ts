// Unit tests of lib/bus/channel-kinds.ts against a real database: who may join which channel,
// unknown kinds, ids in the wrong form, and which channels carry presence.
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/users";
import { busHarnessForFile } from "../support/bus-harness";

const h = busHarnessForFile();
let owner: SessionUser;
let player: SessionUser;
let outsider: SessionUser;
let gameId: number;

beforeAll(async () => {
  [owner, player, outsider] = await Promise.all([h.user("owner"), h.user("player"), h.user("outsider")]);
  gameId = (await h.lib.games.createGame(owner, { name: "Kinds" })).id;
  await h.lib.members.inviteMember(owner, gameId, { username: player.username });
});

const authorize = (user: SessionUser, name: string) => h.lib.channelKinds.authorizeChannel(user, name);

describe("authorizeChannel", () => {
  it("lets a user into their own user channel only", async () => {
    expect(await authorize(owner, `user:${owner.id}`)).toBe(true);
    expect(await authorize(owner, `user:${player.id}`)).toBe(false);
    expect(await authorize(owner, `user:0${owner.id}`)).toBe(false);
    expect(await authorize(owner, "user")).toBe(false);
  });

  it("lets members (owner included) into a game channel and no one else", async () => {
    expect(await authorize(owner, `game:${gameId}`)).toBe(true);
    expect(await authorize(player, `game:${gameId}`)).toBe(true);
    expect(await authorize(outsider, `game:${gameId}`)).toBe(false);
  });

  it("denies a game that does not exist exactly like one the user may not see", async () => {
    expect(await authorize(owner, `game:${gameId + 1000}`)).toBe(false);
    expect(await authorize(owner, "game:9007199254740993")).toBe(false);
  });

  it.each(["game", "game:0", "game:-1", "game:01", "game:1e3", "game:abc", "game:99999999999999999"])(
    "denies the malformed game id %s",
    async (name) => {
      expect(await authorize(owner, name)).toBe(false);
    },
  );

  it("lets any signed-in user into the lobby, which takes no id", async () => {
    expect(await authorize(outsider, "lobby")).toBe(true);
    expect(await authorize(outsider, "lobby:1")).toBe(false);
  });

  it.each(["admin", "admin:1", "__proto__", "constructor", "tostring:1", "hasOwnProperty", "Game:1", "", "game:1:2"])(
    "denies the unknown or malformed channel %j",
    async (name) => {
      expect(await authorize(owner, name)).toBe(false);
    },
  );

  it("follows membership as it changes", async () => {
    await h.lib.members.removeMember(owner, gameId, player.id);
    expect(await authorize(player, `game:${gameId}`)).toBe(false);
    await h.lib.members.inviteMember(owner, gameId, { username: player.username });
    expect(await authorize(player, `game:${gameId}`)).toBe(true);
  });
});

describe("hasPresence", () => {
  it("is true for game channels only", () => {
    expect(h.lib.channelKinds.hasPresence(`game:${gameId}`)).toBe(true);
    expect(h.lib.channelKinds.hasPresence("lobby")).toBe(false);
    expect(h.lib.channelKinds.hasPresence(`user:${owner.id}`)).toBe(false);
    expect(h.lib.channelKinds.hasPresence("game")).toBe(false);
    expect(h.lib.channelKinds.hasPresence("presence:1")).toBe(false);
  });
});
