// Where a request's client address comes from (lib/server/client-address.ts): the peer address
// the node stamps (a client cannot forge it), or the trusted proxies' X-Forwarded-For entry; and
// the forwarded scheme and host, kept only as the trusted proxies vouch for them.
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER, stampClientHeaders } from "@/lib/server/client-address";

const headers = (values: Record<string, string>) => new Headers(values);

describe("clientAddress", () => {
  it("is the peer without TRUST_PROXY, whatever X-Forwarded-For says", () => {
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "10.0.0.7", "x-forwarded-for": "1.2.3.4" }), 0)).toBe(
      "10.0.0.7",
    );
  });

  it("is the entry the trusted proxies added, not the forgeable ones on its left", () => {
    const forwarded = { [PEER_ADDRESS_HEADER]: "10.0.0.1", "x-forwarded-for": "6.6.6.6, 203.0.113.5, 10.0.0.2" };
    expect(clientAddress(headers(forwarded), 1)).toBe("10.0.0.2");
    expect(clientAddress(headers(forwarded), 2)).toBe("203.0.113.5");
    // More proxies configured than entries: the leftmost is what the first proxy saw.
    expect(clientAddress(headers(forwarded), 5)).toBe("6.6.6.6");
  });

  it("falls back to the peer when a trusted proxy sent no X-Forwarded-For, and folds IPv4-mapped addresses", () => {
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "::ffff:192.0.2.1" }), 1)).toBe("192.0.2.1");
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "::1", "x-forwarded-for": " , " }), 1)).toBe("::1");
  });
});

describe("stampClientHeaders", () => {
  it("overwrites a peer address the client sent itself", () => {
    const socket = new Socket();
    Object.defineProperty(socket, "remoteAddress", { value: "192.0.2.44" });
    const request = new IncomingMessage(socket);
    request.headers[PEER_ADDRESS_HEADER] = "1.1.1.1";
    stampClientHeaders(request);
    expect(request.headers[PEER_ADDRESS_HEADER]).toBe("192.0.2.44");
  });

  it("keeps X-Forwarded-Proto and -Host only as far as trusted proxies vouch for them", () => {
    const request = new IncomingMessage(new Socket());
    const forged = { "x-forwarded-proto": "https", "x-forwarded-host": "evil.example" };
    Object.assign(request.headers, forged);
    stampClientHeaders(request, 0);
    expect([request.headers["x-forwarded-proto"], request.headers["x-forwarded-host"]]).toEqual(["http", undefined]);
    // One proxy: its entry is the rightmost; what the client put on its left is not believed.
    Object.assign(request.headers, {
      "x-forwarded-proto": "http, https",
      "x-forwarded-host": "evil.example, clickbus.example",
    });
    stampClientHeaders(request, 1);
    expect([request.headers["x-forwarded-proto"], request.headers["x-forwarded-host"]]).toEqual([
      "https",
      "clickbus.example",
    ]);
  });
});
