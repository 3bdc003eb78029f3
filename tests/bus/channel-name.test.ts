// Unit tests of lib/bus/channel-name.ts: which names are well formed, the 100-character limit,
// and the typed helpers.
import { describe, expect, it } from "vitest";
import { gameChannel, LOBBY_CHANNEL } from "@/lib/games/channels";
import { userChannel } from "@/lib/realtime/user-channel";
import { MAX_CHANNEL_NAME_LENGTH, parseChannelName } from "@/lib/bus/channel-name";

describe("parseChannelName", () => {
  it.each([
    ["lobby", "lobby", undefined],
    ["game:1", "game", "1"],
    ["user:42", "user", "42"],
    ["a", "a", undefined],
    ["my_kind-2:AZaz09_-", "my_kind-2", "AZaz09_-"],
    [`game:${"x".repeat(64)}`, "game", "x".repeat(64)],
  ])("accepts %s", (name, kind, id) => {
    expect(parseChannelName(name)).toEqual({ name, kind, id });
  });

  it.each([
    "",
    "Game:1",
    "1game",
    "_game",
    "game:",
    ":1",
    "game:1:2",
    "game:a b",
    "game:1/2",
    "game:é",
    " lobby",
    "lobby ",
    "lobby\n",
    "ga me",
    `game:${"x".repeat(65)}`,
  ])("rejects %j", (name) => {
    expect(parseChannelName(name)).toBeNull();
  });

  it("allows exactly 100 characters and no more", () => {
    expect(MAX_CHANNEL_NAME_LENGTH).toBe(100);
    const kindOnly = "k".repeat(100);
    expect(parseChannelName(kindOnly)?.kind).toBe(kindOnly);
    expect(parseChannelName(`${kindOnly}k`)).toBeNull();
    const withId = `${"k".repeat(35)}:${"1".repeat(64)}`;
    expect(withId).toHaveLength(100);
    expect(parseChannelName(withId)?.id).toBe("1".repeat(64));
    expect(parseChannelName(`k${withId}`)).toBeNull();
  });

  it("builds the app's channel names", () => {
    expect(userChannel(7)).toBe("user:7");
    expect(gameChannel(12)).toBe("game:12");
    expect(LOBBY_CHANNEL).toBe("lobby");
    for (const name of [userChannel(7), gameChannel(12), LOBBY_CHANNEL]) expect(parseChannelName(name)).not.toBeNull();
  });
});
