// The baseline: bare Socket.IO on node:http, no auth, no database, no Next. A click is an HTTP
// POST that bumps an in-memory total and broadcasts the same `notification` shape as Clickbus to
// one room; `subscribe` joins the room and replays from an in-memory list. Rooms of the `room`
// scenario (POST /bench/rooms) announce a conflated tally instead (baseline-tally.ts). Run as a
// child process (`node --import tsx tests/bench/baseline-server.ts`); it reports its port over IPC.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Server } from "socket.io";
import { z } from "zod";
import { TallyRoom } from "./baseline-tally";
import { holdConnections, LISTEN_BACKLOG } from "@/lib/server/connections";
import { openAcceptLanes } from "@/lib/server/accept-lanes";

const CHANNEL = "game:1";
const KEEP = 200_000;

type Note = { id: number; channel: string; event: "clicks"; payload: unknown; at: string };

const batch = z.object({ count: z.number().int().positive(), batchId: z.string() });
const actionArgs = z.tuple([batch.extend({ gameId: z.number() })]);
/** `inAck` (bench-only): the replay comes back inside the ack as one array, Clickbus's shape. */
const subscribe = z.object({
  channels: z.array(z.string()),
  last: z.number().int().nonnegative().optional(),
  presence: z.boolean().optional(),
  inAck: z.boolean().optional(),
});

const stored: Note[] = [];
const contributions = new Map<number, number>();
let total = 0;
let lastId = 0;
const rooms = new Map<string, TallyRoom>();
/** Tallies are not stored (nothing replays them): their ids only need to increase. */
let lastTallyId = 0;

const httpServer = createServer((req, res) => void route(req, res));
const io = new Server(httpServer, { path: "/socket.io", serveClient: false });

function commit(playerId: number, count: number, batchId: string): number {
  total += count;
  const contribution = (contributions.get(playerId) ?? 0) + count;
  contributions.set(playerId, contribution);
  lastId += 1;
  const by = { id: playerId, username: `player${playerId}` };
  const note: Note = {
    id: lastId,
    channel: CHANNEL,
    event: "clicks",
    payload: { total, by, count, contribution, batchId },
    at: new Date().toISOString(),
  };
  stored.push(note);
  if (stored.length > KEEP) stored.splice(0, stored.length - KEEP);
  io.to(CHANNEL).emit("notification", note);
  return total;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function openRoom(): string {
  const channel = `game:${rooms.size + 2}`;
  const room = new TallyRoom(channel, (payload) => {
    lastTallyId += 1;
    io.to(channel).emit("notification", {
      id: lastTallyId,
      channel,
      event: "tally",
      payload,
      at: new Date().toISOString(),
    });
  });
  rooms.set(channel, room);
  return channel;
}

type Reply = (status: number, body: unknown) => void;

/** The room routes: the action's stand-in `POST /games/:id`, the total, and a new room. */
async function roomRoute(req: IncomingMessage, reply: Reply, playerId: number): Promise<boolean> {
  if (req.method === "POST" && req.url === "/bench/rooms") {
    reply(201, { channel: openRoom() });
    return true;
  }
  const room = rooms.get(`game:${/^\/(?:api\/)?games\/(\d+)$/.exec(req.url ?? "")?.[1]}`);
  if (!room) return false;
  if (req.method === "GET") reply(200, { total: room.total });
  else {
    const [{ count }] = actionArgs.parse(await readBody(req));
    reply(200, { ok: true, value: { total: room.add(playerId, count), counted: true, paceMs: 150 } });
  }
  return true;
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const reply: Reply = (status, body) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  try {
    const playerId = Number(req.headers["x-player"] ?? 0);
    if (await roomRoute(req, reply, playerId)) return;
    if (req.method === "POST" && req.url === "/api/games/1/clicks") {
      const { count, batchId } = batch.parse(await readBody(req));
      return reply(200, { total: commit(playerId, count, batchId) });
    }
    if (req.method === "POST" && req.url === "/games/1") {
      const [{ count, batchId }] = actionArgs.parse(await readBody(req));
      return reply(200, { ok: true, value: { total: commit(playerId, count, batchId), counted: true } });
    }
    if (req.url === "/health" || req.url === "/api/health") return reply(200, { ok: true });
    reply(404, { error: "not_found" });
  } catch {
    reply(400, { error: "invalid" });
  }
}

/** The stored notifications with id > last, oldest first (ids are consecutive). */
function replayAfter(last: number): Note[] {
  const first = stored[0]?.id ?? lastId + 1;
  return stored.slice(Math.max(0, last + 1 - first));
}

io.on("connection", (socket) => {
  socket.on("subscribe", (payload: unknown, ack: (answer: unknown) => void) => {
    const parsed = subscribe.safeParse(payload);
    if (!parsed.success) return ack({ error: "invalid_payload" });
    const known = (name: string) => name === CHANNEL || rooms.has(name);
    const granted = parsed.data.channels.filter(known);
    void socket.join(granted);
    const denied = parsed.data.channels.filter((name) => !known(name));
    const replay = parsed.data.last !== undefined && granted.includes(CHANNEL) ? replayAfter(parsed.data.last) : [];
    if (parsed.data.inAck) return ack({ granted, denied, last: lastId, notifications: replay });
    // What a user would write by hand: the ack, then one emit per missed notification.
    ack({ granted, denied, last: lastId });
    for (const note of replay) socket.emit("notification", note);
  });
});

// Held as the Clickbus node holds its own, so that both pay the same for new connections.
holdConnections(httpServer);
httpServer.listen({ port: 0, host: "127.0.0.1", backlog: LISTEN_BACKLOG }, () => {
  void openAcceptLanes(httpServer, LISTEN_BACKLOG).then(() => {
    const address = httpServer.address();
    process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
  });
});
process.on("SIGTERM", () => void io.close(() => process.exit(0)));
