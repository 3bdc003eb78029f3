// In-process bus harness for Vitest: a real Socket.IO server (attachBus) on a free port over a
// fresh SQLite file, plus helpers to make users and connect real clients. What a test awaits on a
// client is in bus-waits.ts, the lib it reaches in bus-lib.ts; both are exported here too, so a
// test imports its bus tools from one place.
import { afterAll, beforeAll } from "vitest";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io as connectClient } from "socket.io-client";
import type { SessionUser } from "@/lib/auth/users";
import type * as Attach from "@/lib/bus/attach";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import type { WireNotification } from "@/lib/bus/events";
import { expectOwnDatabase, loadLib, type BusLib } from "./bus-lib";
import { nextNotification, within, type BusClient, type RawClient } from "./bus-waits";

export * from "./bus-waits";
export type { BusLib } from "./bus-lib";
export { scratchSqlite, type ScratchEngine } from "./scratch-sqlite";

export type TestUser = SessionUser & { password: string; token: string };
export type ConnectOptions = { via?: "token" | "cookie"; epoch?: number; origin?: string };

const PASSWORD = "correct-horse-battery";

export type BusHarness = {
  url: string;
  lib: BusLib;
  bus: ReturnType<typeof Attach.attachBus>;
  /** A new account with an API token; names are unique per harness. */
  user: (prefix?: string) => Promise<TestUser>;
  /** An Auth.js session cookie (`name=value`) for the user, as the browser would send it. */
  sessionCookie: (user: SessionUser, epoch?: number, maxAgeSeconds?: number) => Promise<string>;
  /** Connects an authenticated socket; rejects with the connect_error message otherwise. */
  connect: (user: TestUser, options?: ConnectOptions) => Promise<BusClient>;
  /** Connects with arbitrary credentials; rejects with the connect_error message if refused. */
  connectWith: (options: RawConnectOptions) => Promise<BusClient>;
  /** Tries a connection with arbitrary credentials; resolves with the connect_error message. */
  refusedConnection: (options: RawConnectOptions) => Promise<string>;
  /** Closes the socket and resolves once the server has seen it go. */
  close: (socket: BusClient) => Promise<void>;
  /**
   * Sends a marker `notification` down each socket and waits until every socket got it. A socket's
   * packets arrive in order, so whatever the server sent it before this call has arrived by then.
   */
  sync: (...sockets: BusClient[]) => Promise<void>;
  /** Whether `notification` is one of the harness's markers. */
  isMarker: (notification: WireNotification) => boolean;
  /** A game owned by `owner` with `players` invited, made through the game's own lib functions. */
  gameWith: (owner: TestUser, ...players: TestUser[]) => Promise<number>;
  /** One click batch with a fresh batchId. */
  click: (user: TestUser, gameId: number, count?: number) => ReturnType<BusLib["clicks"]["addClicks"]>;
  shutdown: () => Promise<void>;
};

/**
 * Sets DATABASE_PATH, AUTH_SECRET and LOG_LEVEL, then loads the lib (env() and db() are cached
 * per process, so nothing under lib/ may be imported before this), migrates, and listens.
 */
/** `kinds`: channel kinds registered besides the app's own (a test-only kind); `env`: more configuration. */
export type BusHarnessOptions = { kinds?: readonly ChannelKind[]; env?: Record<string, string> };

/** A handshake's credentials, Origin and any other headers (e.g. a proxy's X-Forwarded-Proto). */
export type RawConnectOptions = { token?: unknown; cookie?: string; origin?: string; headers?: Record<string, string> };

export async function startBusHarness(options: BusHarnessOptions = {}): Promise<BusHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), "clickbus-bus-"));
  // Put back at shutdown: a later harness or test in this worker must not inherit this one's settings.
  const savedEnv = { ...process.env };
  process.env.DATABASE_PATH = join(dataDir, "clickbus.db");
  const secret = randomBytes(32).toString("base64url");
  process.env.AUTH_SECRET = secret;
  process.env.LOG_LEVEL = "silent";
  // Set-ups make dozens of games per user; the limit has its own tests (tests/api/mutation-limits).
  process.env.MUTATION_BURST = "100000";
  process.env.PASSWORD_SCRYPT_COST = "12";
  Object.assign(process.env, options.env);
  const lib = await loadLib();
  expectOwnDatabase(lib);
  await lib.db.migrateDatabase();

  const httpServer = createServer();
  const { appChannels } = lib.channels;
  const channels = { ...appChannels, kinds: [...appChannels.kinds, ...(options.kinds ?? [])] };
  const bus = lib.attach.attachBus(httpServer, {
    allowedOrigins: [],
    authenticate: lib.authenticate.authenticateSocket,
    database: lib.db.database,
    channels,
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(0, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const { encode } = await import("next-auth/jwt");
  const { createUser } = await import("@/lib/auth/users");
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const clients = new Set<RawClient>();
  let userCount = 0;
  let markerCount = 0;
  const MARKER = "__harness_marker__";

  const open = (options: RawConnectOptions): RawClient => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.origin) headers.origin = options.origin;
    const socket = connectClient(url, {
      path: "/socket.io",
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      extraHeaders: headers,
      auth: options.token === undefined ? {} : { token: options.token },
    });
    clients.add(socket);
    return socket;
  };

  const settle = (socket: RawClient): Promise<string | null> =>
    within(
      new Promise<string | null>((resolve) => {
        socket.once("connect", () => resolve(null));
        socket.once("connect_error", (error: Error) => resolve(error.message));
      }),
      "connect or connect_error",
    );

  const sessionCookie = async (user: SessionUser, epoch = 0, maxAgeSeconds?: number): Promise<string> => {
    const salt = "authjs.session-token";
    const value = await encode({
      token: { sub: String(user.id), name: user.username, epoch },
      secret,
      salt,
      ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
    });
    return `${salt}=${value}`;
  };

  const harness: BusHarness = {
    url,
    lib,
    bus,
    user: async (prefix = "player") => {
      userCount += 1;
      const created = await createUser({ username: `${prefix}${userCount}`, password: PASSWORD });
      if (!created.ok) throw new Error(`could not create ${prefix}${userCount}`);
      return { ...created.user, password: PASSWORD, token: (await createApiToken(created.user.id, "tests")).token };
    },
    sessionCookie,
    connect: async (user, options = {}) =>
      harness.connectWith(
        options.via === "cookie"
          ? { cookie: await sessionCookie(user, options.epoch), origin: options.origin }
          : { token: user.token, origin: options.origin },
      ),
    connectWith: async (options) => {
      const socket = open(options);
      const refused = await settle(socket);
      if (refused !== null) throw new Error(`connection refused: ${refused}`);
      return socket as BusClient;
    },
    refusedConnection: async (options) => {
      const socket = open(options);
      const refused = await settle(socket);
      if (refused === null) throw new Error("the connection was accepted");
      return refused;
    },
    close: async (socket) => {
      const serverSocket = bus.io.sockets.sockets.get(socket.id ?? "");
      if (!serverSocket) throw new Error("the server does not know this socket");
      const gone = within(
        new Promise<void>((resolve) => serverSocket.once("disconnect", () => resolve())),
        "server-side disconnect",
      );
      socket.disconnect();
      await gone;
    },
    sync: async (...sockets) => {
      markerCount += 1;
      const marker: WireNotification = {
        id: null,
        channel: MARKER,
        event: MARKER,
        payload: markerCount,
        at: new Date().toISOString(),
      };
      const targets = sockets.map((socket) => {
        const serverSocket = bus.io.sockets.sockets.get(socket.id ?? "");
        if (!serverSocket) throw new Error("sync: the server does not know this socket");
        return { socket, serverSocket };
      });
      const arrived = targets.map(({ socket }) =>
        nextNotification(socket, (n) => n.event === MARKER && n.payload === marker.payload, `marker ${markerCount}`),
      );
      for (const { serverSocket } of targets) serverSocket.emit("notification", marker);
      await Promise.all(arrived);
    },
    isMarker: (notification) => notification.event === MARKER,
    gameWith: async (owner, ...players) => {
      const { id } = await lib.games.createGame(owner, { name: `Game ${randomUUID().slice(0, 8)}` });
      for (const player of players) await lib.members.inviteMember(owner, id, { username: player.username });
      return id;
    },
    click: (user, gameId, count = 1) => lib.clicks.addClicks(user, { gameId, count, batchId: randomUUID() }),
    shutdown: async () => {
      for (const socket of clients) socket.disconnect();
      await bus.close();
      await lib.db.closeDatabase();
      rmSync(dataDir, { recursive: true, force: true });
      restoreEnv(savedEnv);
    },
  };
  return harness;
}

function restoreEnv(saved: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
}

/**
 * The file's harness: started before its tests and shut down after them, and used as `h.user(…)`
 * inside them. Saves every test file the same beforeAll/afterAll pair. Every property is read from
 * the harness when used, so the handle exists at import, before the harness does.
 */
export function busHarnessForFile(options: BusHarnessOptions = {}): Omit<BusHarness, "shutdown"> {
  let current: BusHarness | undefined;
  beforeAll(async () => {
    current = await startBusHarness(options);
  });
  afterAll(() => current?.shutdown());
  const started = (): BusHarness => {
    if (!current) throw new Error("the bus harness starts in beforeAll: use it in hooks and tests, not at import");
    return current;
  };
  // The target is never read: every property comes from the started harness (its methods are
  // closures, so they need no `this`).
  const handle: Omit<BusHarness, "shutdown"> = new Proxy<BusHarness>(Object.create(null), {
    get: (_, property) => (property === "shutdown" ? undefined : Reflect.get(started(), property)),
  });
  return handle;
}
