// Unit tests of lib/bus/protocol.ts: what parseSubscribe / parseUnsubscribe accept, and the
// error code each malformed payload gets.
import { describe, expect, it } from "vitest";
import { MAX_CHANNELS, MAX_MESSAGE_BYTES, parseSubscribe, parseUnsubscribe } from "@/lib/bus/protocol";

const manyChannels = (count: number) => Array.from({ length: count }, (_, index) => `game:${index + 1}`);

describe("parseSubscribe", () => {
  it("accepts channels with an optional last cursor and presence flag", () => {
    expect(parseSubscribe({ channels: ["lobby", "game:1"] })).toEqual({
      ok: true,
      value: { channels: ["lobby", "game:1"] },
    });
    expect(parseSubscribe({ channels: [], last: 0 })).toEqual({ ok: true, value: { channels: [], last: 0 } });
    expect(parseSubscribe({ channels: ["game:1"], last: 41, presence: false })).toEqual({
      ok: true,
      value: { channels: ["game:1"], last: 41, presence: false },
    });
  });

  it("removes duplicate names, keeping the first occurrence's order", () => {
    expect(parseSubscribe({ channels: ["game:2", "lobby", "game:2"] })).toEqual({
      ok: true,
      value: { channels: ["game:2", "lobby"] },
    });
  });

  it(`accepts ${MAX_CHANNELS} channels and refuses one more`, () => {
    expect(parseSubscribe({ channels: manyChannels(MAX_CHANNELS) }).ok).toBe(true);
    expect(parseSubscribe({ channels: manyChannels(MAX_CHANNELS + 1) })).toEqual({
      ok: false,
      error: "too_many_channels",
    });
  });

  it.each<[string, unknown]>([
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
    ["a string", "lobby"],
    ["an array", ["lobby"]],
    ["a boolean", true],
    ["no channels", {}],
    ["channels as a string", { channels: "lobby" }],
    ["channels as an object", { channels: { 0: "lobby" } }],
    ["an extra key", { channels: [], extra: 1 }],
    ["a __proto__ key", JSON.parse('{"__proto__":{"polluted":true},"channels":["lobby"]}')],
    ["a constructor key", JSON.parse('{"constructor":{"prototype":{}},"channels":["lobby"]}')],
    ["a negative last", { channels: [], last: -1 }],
    ["a float last", { channels: [], last: 1.5 }],
    ["last as a string", { channels: [], last: "3" }],
    ["an unsafe last", { channels: [], last: Number.MAX_SAFE_INTEGER + 2 }],
    ["presence as a string", { channels: [], presence: "no" }],
  ])("refuses %s with invalid_payload", (_, payload) => {
    expect(parseSubscribe(payload)).toEqual({ ok: false, error: "invalid_payload" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[string, unknown[]]>([
    ["a number", [1]],
    ["null", [null]],
    ["a nested array", [["lobby"]]],
    ["an upper-case kind", ["Game:1"]],
    ["an empty name", [""]],
    ["a name over 100 characters", ["k".repeat(101)]],
    ["one bad name among good ones", ["lobby", "game:1", "game:1:2"]],
  ])("refuses channels containing %s with invalid_channel", (_, channels) => {
    expect(parseSubscribe({ channels })).toEqual({ ok: false, error: "invalid_channel" });
  });

  it(`refuses messages over ${MAX_MESSAGE_BYTES} bytes with too_large`, () => {
    expect(MAX_MESSAGE_BYTES).toBe(16 * 1024);
    expect(parseSubscribe({ channels: ["lobby"], pad: "x".repeat(MAX_MESSAGE_BYTES) })).toEqual({
      ok: false,
      error: "too_large",
    });
    expect(parseSubscribe("x".repeat(1_000_000))).toEqual({ ok: false, error: "too_large" });
    expect(parseSubscribe({ channels: Array.from({ length: 10_000 }, () => "lobby") })).toEqual({
      ok: false,
      error: "too_large",
    });
    // Size is measured in bytes, not characters.
    expect(parseSubscribe({ channels: ["é".repeat(MAX_MESSAGE_BYTES / 2)] })).toEqual({
      ok: false,
      error: "too_large",
    });
  });

  it("treats a payload it cannot serialize as too large instead of throwing", () => {
    const circular: Record<string, unknown> = { channels: [] };
    circular.self = circular;
    expect(parseSubscribe(circular)).toEqual({ ok: false, error: "too_large" });
    expect(parseSubscribe({ channels: [], last: BigInt(1) })).toEqual({ ok: false, error: "too_large" });
  });
});

describe("parseUnsubscribe", () => {
  it("accepts a channel list", () => {
    expect(parseUnsubscribe({ channels: ["game:3", "game:3", "lobby"] })).toEqual({
      ok: true,
      value: { channels: ["game:3", "lobby"] },
    });
    expect(parseUnsubscribe({ channels: [] })).toEqual({ ok: true, value: { channels: [] } });
  });

  it.each<[unknown, string]>([
    [null, "invalid_payload"],
    ["game:1", "invalid_payload"],
    [{ channels: [], last: 3 }, "invalid_payload"],
    [{ channels: [], presence: false }, "invalid_payload"],
    [{ channels: [7] }, "invalid_channel"],
    [{ channels: ["GAME:1"] }, "invalid_channel"],
    [{ channels: manyChannels(MAX_CHANNELS + 1) }, "too_many_channels"],
    [{ channels: ["x".repeat(MAX_MESSAGE_BYTES)] }, "too_large"],
  ])("refuses %j with %s", (payload, error) => {
    expect(parseUnsubscribe(payload)).toEqual({ ok: false, error });
  });
});
