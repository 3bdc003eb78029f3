// Socket caps on a real node (SOCKETS_PER_USER, SOCKETS_PER_ADDRESS): past its share a user, or a
// client address, gets `connect_error` "too_many_connections", and a closed socket frees its place.
import { afterAll, beforeAll, expect, it } from "vitest";
import { until, type BusClient } from "../support/bus-harness";
import { startTestServer, type TestServer } from "../support/server";
import { connect } from "../cluster/cluster-support";
import { newPlayer, type Player } from "../api/api-client";

let server: TestServer;
let alice: Player;
let bob: Player;
const sockets: BusClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ SOCKETS_PER_USER: "3", SOCKETS_PER_ADDRESS: "5" });
  [alice, bob] = await Promise.all([newPlayer(server.url, "alice"), newPlayer(server.url, "bob")]);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.stop();
});

async function open(player: Player): Promise<BusClient> {
  const socket = await connect(server, player);
  sockets.push(socket);
  return socket;
}

it("refuses a user's socket past the per-user cap, and admits one again when a place is free", async () => {
  const [first] = [await open(alice), await open(alice), await open(alice)];
  await expect(open(alice)).rejects.toThrow("too_many_connections");
  first?.disconnect();
  // The server frees the place when it sees the socket go.
  await until(
    async () =>
      await open(alice).then(
        () => true,
        () => false,
      ),
    "a freed place is taken again",
  );
});

it("refuses sockets past the per-address cap, whoever they sign in as", async () => {
  // Alice holds 3 of the address's 5 places.
  await open(bob);
  await open(bob);
  await expect(open(bob)).rejects.toThrow("too_many_connections");
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
});
