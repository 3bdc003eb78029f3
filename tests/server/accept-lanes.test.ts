// lib/server/accept-lanes.ts on a real HTTP server: with lanes, one event-loop turn accepts
// several queued connections (Node 20 alone accepts one per turn), every connection accepted by a
// lane is served by the HTTP server, and closing the lanes leaves the server itself accepting.
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { openAcceptLanes } from "@/lib/server/accept-lanes";

const QUEUED = 40;
const servers: Server[] = [];
const clients: Socket[] = [];
const lanes: Array<() => void> = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const closeLanes of lanes.splice(0)) closeLanes();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => response.end("served"));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A GET on a new connection; resolves with the answer's bytes once the server has answered. */
function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = connect({ port, host: "127.0.0.1" });
    clients.push(client);
    let text = "";
    client.setEncoding("utf8");
    client.on("data", (chunk: string) => {
      text += chunk;
      if (text.endsWith("served")) resolve(text);
    });
    client.on("error", reject);
    client.write("GET / HTTP/1.1\r\nHost: lanes\r\n\r\n");
  });
}

/**
 * Opens QUEUED connections while the loop is held, so all of them wait in the listen queue, then
 * counts the server's accepts in each turn (a turn ends when setImmediate's callbacks run).
 */
async function mostAcceptsInOneTurn(server: Server, port: number): Promise<number> {
  let thisTurn = 0;
  let most = 0;
  server.on("connection", () => (thisTurn += 1));
  let counting = true;
  const turn = () => {
    most = Math.max(most, thisTurn);
    thisTurn = 0;
    if (counting) setImmediate(turn);
  };
  const answers = Array.from({ length: QUEUED }, () => get(port));
  // Node makes each connect from the nextTick queue; hold the loop after them and before it
  // polls, so every handshake completes in the kernel and waits in the listen queue.
  process.nextTick(() => {
    const until = performance.now() + 50;
    while (performance.now() < until);
  });
  setImmediate(turn);
  const texts = await Promise.all(answers);
  counting = false;
  expect(texts.every((text) => text.startsWith("HTTP/1.1 200"))).toBe(true);
  return most;
}

describe("accept lanes", () => {
  it("are needed: a Node 20 server alone accepts one queued connection per turn", async () => {
    const { server, port } = await listening();
    expect(await mostAcceptsInOneTurn(server, port)).toBe(1);
  });

  it("let one turn accept a connection from each lane, all served by the HTTP server", async () => {
    const { server, port } = await listening();
    lanes.push(await openAcceptLanes(server, 1024, 4));
    expect(await mostAcceptsInOneTurn(server, port)).toBe(4);
  });

  it("stop accepting when closed, and the server itself still accepts", async () => {
    const { server, port } = await listening();
    const closeLanes = await openAcceptLanes(server, 1024, 4);
    closeLanes();
    expect(await mostAcceptsInOneTurn(server, port)).toBe(1);
  });
});
