// In-process bus harness for Vitest: a real Socket.IO server (attachBus) on a free port over a
// fresh SQLite file, plus helpers to make users, connect real clients and await what they receive.
import { afterAll, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import type * as DbClient from "@/db/client";
import type * as Tables from "@/db/tables";
import type * as BusTables from "@/lib/bus/tables";
import type { Engine } from "@/db/engine";
import type * as SignOut from "@/lib/realtime/sign-out-everywhere";
import type { SessionUser } from "@/lib/auth/users";
import type * as Attach from "@/lib/bus/attach";
import type * as ChannelKinds from "@/lib/bus/channel-kinds";
import type * as ChannelName from "@/lib/bus/channel-name";
import type {
  ClientToServerEvents,
  ErrorAck,
  RevokedMessage,
  ServerToClientEvents,
  SubscribeAck,
  WireNotification,
} from "@/lib/bus/events";
import type * as Presence from "@/lib/bus/presence";
import type * as Store from "@/lib/bus/store";
import type * as Transact from "@/lib/bus/transact";
import type * as Emit from "@/lib/bus/emit";
import type * as Revoke from "@/lib/bus/revoke";
import type * as AccessSweep from "@/lib/bus/access-sweep";
import type * as CatchUp from "@/lib/bus/catch-up";
import type * as Authenticate from "@/lib/realtime/authenticate";
import type * as RevokeApiToken from "@/lib/realtime/revoke-api-token";
import type * as ApiTokens from "@/lib/auth/api-tokens";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import type * as Channels from "@/lib/server/channels";
import type * as Clicks from "@/lib/games/clicks";
import type * as Games from "@/lib/games/games";
import type * as Members from "@/lib/games/members";

/** A typed client socket, as the browser's BusProvider holds it. */
export type BusClient = ClientSocket<ServerToClientEvents, ClientToServerEvents>;
/** The same socket without typing, for sending shapes the protocol forbids. */
export type RawClient = ClientSocket;

export type TestUser = SessionUser & { password: string; token: string };
export type ConnectOptions = { via?: "token" | "cookie"; epoch?: number; origin?: string };
export type Recorder = {
  notifications: WireNotification[];
  revoked: RevokedMessage[];
  /** Both kinds of message, in arrival order. */
  timeline: Array<{ type: "notification"; message: WireNotification } | { type: "revoked"; message: RevokedMessage }>;
  stop: () => void;
};

/** Upper bound for any single wait: a failure signal, never a stand-in for a condition. */
export const WAIT_MS = 5000;
const PASSWORD = "correct-horse-battery";

/** The lib modules a test needs, loaded after the environment is set (env() and db() cache). */
export type BusLib = {
  db: typeof DbClient;
  /** The tables of the engine in use, the app's and the bus's, typed as PostgreSQL's (db/tables.ts). */
  schema: typeof Tables & typeof BusTables;
  attach: typeof Attach;
  channelName: typeof ChannelName;
  channelKinds: typeof ChannelKinds;
  presence: typeof Presence;
  store: typeof Store;
  transact: typeof Transact;
  emit: typeof Emit;
  revoke: typeof Revoke;
  accessSweep: typeof AccessSweep;
  catchUp: typeof CatchUp;
  authenticate: typeof Authenticate;
  revokeApiToken: typeof RevokeApiToken;
  apiTokens: typeof ApiTokens;
  channels: typeof Channels;
  clicks: typeof Clicks;
  games: typeof Games;
  members: typeof Members;
  signOut: typeof SignOut;
};

/**
 * The configuration is read once per process: a test file that imported anything reaching
 * db/client at its top level (a constant from lib/bus/store, say) has it read before the harness
 * set DATABASE_PATH, and would write into ./data. Fails loudly instead.
 */
function expectOwnDatabase(lib: BusLib): void {
  const opened = lib.db.engine().sqlite?.writer.name;
  if (opened === undefined || opened === process.env.DATABASE_PATH) return;
  throw new Error(
    `the bus harness got ${opened}, not its own ${process.env.DATABASE_PATH}: import lib modules through h.lib, not at the top of the test file`,
  );
}

async function loadLib(): Promise<BusLib> {
  return {
    db: await import("@/db/client"),
    schema: { ...(await import("@/db/tables")), ...(await import("@/lib/bus/tables")) },
    attach: await import("@/lib/bus/attach"),
    channelName: await import("@/lib/bus/channel-name"),
    channelKinds: await import("@/lib/bus/channel-kinds"),
    presence: await import("@/lib/bus/presence"),
    store: await import("@/lib/bus/store"),
    transact: await import("@/lib/bus/transact"),
    emit: await import("@/lib/bus/emit"),
    revoke: await import("@/lib/bus/revoke"),
    accessSweep: await import("@/lib/bus/access-sweep"),
    catchUp: await import("@/lib/bus/catch-up"),
    authenticate: await import("@/lib/realtime/authenticate"),
    revokeApiToken: await import("@/lib/realtime/revoke-api-token"),
    apiTokens: await import("@/lib/auth/api-tokens"),
    channels: await import("@/lib/server/channels"),
    clicks: await import("@/lib/games/clicks"),
    games: await import("@/lib/games/games"),
    members: await import("@/lib/games/members"),
    signOut: await import("@/lib/realtime/sign-out-everywhere"),
  };
}

/** Rejects with `label` when `promise` has not settled within `ms`. */
export function within<T>(promise: Promise<T>, label: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves when `condition` holds, checking every 20 ms; fails with `label` after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, label: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The next `notification` on `socket` that satisfies `predicate`. */
export function nextNotification(
  socket: BusClient,
  predicate: (notification: WireNotification) => boolean = () => true,
  label = "notification",
  ms = WAIT_MS,
): Promise<WireNotification> {
  let listener: ((notification: WireNotification) => void) | undefined;
  const matched = new Promise<WireNotification>((resolve) => {
    listener = (notification) => {
      if (predicate(notification)) resolve(notification);
    };
    socket.on("notification", listener);
  });
  return within(matched, label, ms).finally(() => socket.off("notification", listener));
}

/** The next `revoked` message on `socket`. */
export function nextRevoked(socket: BusClient, { ms = WAIT_MS }: { ms?: number } = {}): Promise<RevokedMessage> {
  let listener: ((message: RevokedMessage) => void) | undefined;
  const received = new Promise<RevokedMessage>((resolve) => {
    listener = resolve;
    socket.on("revoked", listener);
  });
  return within(received, "revoked", ms).finally(() => socket.off("revoked", listener));
}

/** Resolves with the disconnect reason the client sees. */
export function nextDisconnect(socket: BusClient): Promise<string> {
  return within(new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason))), "disconnect");
}

/** Starts keeping every notification and revocation `socket` receives. */
export function record(socket: BusClient): Recorder {
  const notifications: WireNotification[] = [];
  const revoked: RevokedMessage[] = [];
  const timeline: Recorder["timeline"] = [];
  const onNotification = (notification: WireNotification) => {
    notifications.push(notification);
    timeline.push({ type: "notification", message: notification });
  };
  const onRevoked = (message: RevokedMessage) => {
    revoked.push(message);
    timeline.push({ type: "revoked", message });
  };
  socket.on("notification", onNotification);
  socket.on("revoked", onRevoked);
  return {
    notifications,
    revoked,
    timeline,
    stop: () => {
      socket.off("notification", onNotification);
      socket.off("revoked", onRevoked);
    },
  };
}

/** The notifications `recorder` got after its first `revoked` message for `channel`. */
export function afterRevocation(recorder: Recorder, channel: string): WireNotification[] {
  const at = recorder.timeline.findIndex((entry) => entry.type === "revoked" && entry.message.channel === channel);
  if (at === -1) throw new Error(`no revoked message for ${channel}`);
  return recorder.timeline.slice(at + 1).flatMap((entry) => (entry.type === "notification" ? [entry.message] : []));
}

/** Sends `subscribe` and resolves with the server's acknowledgement. */
export function subscribe(socket: BusClient, payload: unknown): Promise<SubscribeAck | ErrorAck> {
  return socket.timeout(WAIT_MS).emitWithAck("subscribe", payload);
}

/** Like `subscribe`, but fails the test unless the ack is a grant list. */
export async function subscribeOk(socket: BusClient, payload: unknown): Promise<SubscribeAck> {
  const ack = await subscribe(socket, payload);
  if ("error" in ack) throw new Error(`subscribe was refused: ${ack.error}`);
  return ack;
}

export function unsubscribe(socket: BusClient, payload: unknown): Promise<{ ok: true } | ErrorAck> {
  return socket.timeout(WAIT_MS).emitWithAck("unsubscribe", payload);
}

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

/** A migrated SQLite engine on a fresh file, made the process's engine (unit tests of the store). */
export type ScratchEngine = { engine: Engine; path: string; close: () => Promise<void> };

export async function scratchSqlite(prefix = "clickbus-scratch-"): Promise<ScratchEngine> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, "bus.db");
  const { openSqlite } = await import("@/db/sqlite");
  // Renamed: the React lint takes any use… call for a hook.
  const { useEngine: installEngine } = await import("@/db/client");
  const engine = openSqlite(path);
  await engine.migrate();
  installEngine(engine);
  return {
    engine,
    path,
    close: async () => {
      installEngine(undefined);
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The file's harness: started before its tests and shut down after them, and used as `h.user(…)`
 * inside them. Saves every test file the same beforeAll/afterAll pair.
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
  return {
    get url() {
      return started().url;
    },
    get lib() {
      return started().lib;
    },
    get bus() {
      return started().bus;
    },
    user: (prefix) => started().user(prefix),
    sessionCookie: (user, epoch, maxAgeSeconds) => started().sessionCookie(user, epoch, maxAgeSeconds),
    connect: (user, options) => started().connect(user, options),
    connectWith: (options) => started().connectWith(options),
    refusedConnection: (options) => started().refusedConnection(options),
    close: (socket) => started().close(socket),
    sync: (...sockets) => started().sync(...sockets),
    isMarker: (notification) => started().isMarker(notification),
    gameWith: (owner, ...players) => started().gameWith(owner, ...players),
    click: (user, gameId, count) => started().click(user, gameId, count),
  };
}
