// The bus's packet encoder (lib/bus/wire-encoder.ts) against Socket.IO's own: the same bytes for
// every packet, a shared replay page stringified once however many acks carry it, and what the
// client's decoder makes of it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Decoder, Encoder, PacketType, type Packet } from "socket.io-parser";
import { BusEncoder, sharePage } from "@/lib/bus/wire-encoder";
import type { WireNotification } from "@/lib/bus/events";

function page(from: number, count: number): WireNotification[] {
  return Array.from({ length: count }, (_, index) => ({
    id: from + index,
    channel: "game:7",
    event: "clicks",
    payload: { total: from + index, by: { id: 3, username: 'zoë "quoted" \\ $& $1' }, note: "\u0001 control" },
    at: "2026-12-03T08:00:00.000Z",
  }));
}

function ack(id: number, notifications: WireNotification[], nsp = "/"): Packet {
  return {
    type: PacketType.ACK,
    nsp,
    id,
    data: [{ granted: ["game:7"], denied: [], last: 99, notifications, more: true }],
  };
}

function decode(encoded: unknown[]): Packet {
  const decoder = new Decoder();
  let packet: Packet | undefined;
  decoder.on("decoded", (decoded: Packet) => (packet = decoded));
  for (const part of encoded) decoder.add(part);
  if (!packet) throw new Error("nothing decoded");
  return packet;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("BusEncoder", () => {
  it("writes exactly what Socket.IO's encoder writes, shared page or not", () => {
    const shared = sharePage(page(10, 3));
    const packets: Packet[] = [
      ack(0, shared),
      ack(12345, shared, "/admin"),
      ack(4, page(10, 3)),
      ack(5, []),
      { type: PacketType.ACK, nsp: "/", id: 6, data: [{ error: "rate_limited" }] },
      { type: PacketType.EVENT, nsp: "/", data: ["notification", shared[0]] },
      { type: PacketType.EVENT, nsp: "/", data: ["notification", { id: 1, payload: Buffer.from([1, 2, 3]) }] },
      { type: PacketType.CONNECT, nsp: "/", data: { sid: "abc" } },
      { type: PacketType.DISCONNECT, nsp: "/" },
    ];
    for (const packet of packets) expect(new BusEncoder().encode(packet)).toEqual(new Encoder().encode(packet));
  });

  it("stringifies a shared page once for all the acks that carry it", () => {
    const shared = sharePage(page(1, 500));
    const stringify = vi.spyOn(JSON, "stringify");
    const encoder = new BusEncoder();
    const encoded = Array.from({ length: 20 }, (_, index) => encoder.encode(ack(index, shared)));
    expect(stringify.mock.calls.filter(([value]) => value === shared)).toHaveLength(1);
    expect(encoded.map((parts) => decode(parts).data)).toEqual(
      Array.from({ length: 20 }, () => [
        { granted: ["game:7"], denied: [], last: 99, notifications: page(1, 500), more: true },
      ]),
    );
  });

  it("takes Socket.IO's own path when it is given a replacer", () => {
    const shared = sharePage(page(1, 2));
    const replacer = (key: string, value: unknown) => (key === "at" ? "replaced" : value);
    expect(new BusEncoder(replacer).encode(ack(1, shared))).toEqual(new Encoder(replacer).encode(ack(1, shared)));
  });

  it("is built on the socket.io-parser that socket.io itself loads", () => {
    // The package's folder from its entry point (its exports do not list package.json).
    const packageOf = (entry: string, name: string) =>
      join(entry.slice(0, entry.lastIndexOf(`node_modules/${name}/`) + `node_modules/${name}`.length), "package.json");
    const version = (packageJson: string) =>
      (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
    const require = createRequire(import.meta.url);
    const ours = packageOf(require.resolve("socket.io-parser"), "socket.io-parser");
    const socketIo = packageOf(require.resolve("socket.io"), "socket.io");
    const theirs = packageOf(createRequire(socketIo).resolve("socket.io-parser"), "socket.io-parser");
    expect(version(ours)).toBe(version(theirs));
  });

  it("freezes a shared page, since its JSON is kept", () => {
    const shared = sharePage(page(1, 2));
    expect(Object.isFrozen(shared)).toBe(true);
    expect(() => shared.push(...page(3, 1))).toThrow(TypeError);
  });

  it("stringifies an unshared page for every ack, so a changed array is never sent stale", () => {
    const notifications = page(1, 2);
    const encoder = new BusEncoder();
    const before = decode(encoder.encode(ack(1, notifications)));
    notifications.push(...page(3, 1));
    const after = decode(encoder.encode(ack(2, notifications)));
    expect([before.data[0].notifications.length, after.data[0].notifications.length]).toEqual([2, 3]);
  });
});
