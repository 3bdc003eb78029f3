// Starts a real Clickbus node (the production build, `tsx server.ts`) on a free port with a
// fresh SQLite file in a temporary directory (or, on the PostgreSQL run, a fresh database), for
// integration and browser tests.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { databaseEnv, databaseOf, type StoredDatabase } from "./test-database";

export type TestServer = {
  url: string;
  port: number;
  /** The current process's id (a restart changes it). */
  readonly pid: number;
  dataDir: string;
  /** The SQLite file (on the PostgreSQL run it stays unused: see `database`). */
  databasePath: string;
  /** Where the node keeps its data, on either engine (tests/support/stored-rows.ts reads it). */
  database: StoredDatabase;
  /** Everything every process of this node has written so far, restarts included. */
  output: () => string;
  /** Sends `signal` (e.g. SIGKILL, to play a crashed node) and resolves when the process is gone. */
  kill: (signal: NodeJS.Signals) => Promise<void>;
  /**
   * Starts the node again after `kill`, on the same port, data directory and environment (a
   * crashed node coming back, so clients reconnect to the address they know); resolves when healthy.
   */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * `dataDir`: share another node's data directory (its SQLite file, or on the PostgreSQL run its
 * database, and its secret) instead of a fresh one.
 */
export type TestServerOptions = { dataDir?: string };

/**
 * Ports are drawn below the kernel's ephemeral range (32768–60999 here): a port the kernel hands
 * out for `listen(0)` and that the probe then releases can be taken, before the node binds it, by
 * any outgoing connection of a test opening sockets by the thousand; one below that range is
 * never given to a connection. Random within it, probed, and never handed out twice by a process.
 */
/** Ends a node whose test process died without stopping it (spawned from the repository's root). */
const LIFELINE = "./tests/support/parent-lifeline.ts";
const PORTS = { from: 20_000, to: 32_000 };
const handedOut = new Set<number>();

function probe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = PORTS.from + Math.floor(Math.random() * (PORTS.to - PORTS.from));
    if (handedOut.has(port) || !(await probe(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${PORTS.from} and ${PORTS.to} after 200 tries`);
}

/** What the node prints once it listens: only then is the port surely its own. */
const READY_LINE = "Clickbus is running at";
/** What it prints when the port was taken after all (by another test's node, say). */
const PORT_TAKEN = /port \d+ is already in use/;

/** One health check's bound: a node that accepted the connection and hangs must not hang the start. */
const HEALTH_FETCH_MS = 5000;
/** Between health checks while the node boots. */
const RETRY_MS = 100;

/**
 * Resolves when the node answers its health check after printing its ready line; rejects as soon
 * as the child is gone (`closed`: it resolves with how, once its output is all read) or at the timeout.
 */
async function waitForHealth(
  url: string,
  closed: Promise<string>,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const gone = closed.then((how) => ({ how }));
  while (Date.now() < deadline) {
    // Before its ready line, an answer on the port could come from some other process.
    if (output().includes(READY_LINE)) {
      try {
        const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(HEALTH_FETCH_MS) });
        if (response.ok) return;
      } catch {
        // not answering yet
      }
    }
    const ended = await Promise.race([gone, new Promise<undefined>((resolve) => setTimeout(resolve, RETRY_MS))]);
    if (ended) throw new Error(`server ${ended.how}:\n${output()}`);
  }
  throw new Error(`server did not become healthy in ${timeoutMs} ms:\n${output()}`);
}

const isRunning = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/**
 * Tests sign many users up and in from 127.0.0.1 and set games up by the dozen, far more than a
 * room would: the bursts are raised (operators' knobs, not bypasses); tests of the limits set
 * them back.
 */
export const TEST_LIMITS = {
  AUTH_ADDRESS_BURST: "100000",
  MUTATION_BURST: "100000",
  SOCKETS_PER_USER: "1000000",
  SOCKETS_PER_ADDRESS: "1000000",
  // Test users by the hundred: scrypt at 2^12 instead of 2^17 (tests/auth checks the default's).
  PASSWORD_SCRYPT_COST: "12",
};

/** Starts a node; `env` adds or overrides variables (e.g. ALLOWED_ORIGINS, REDIS_URL). */
export async function startTestServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "clickbus-test-"));
  let port = await freePort();
  const databasePath = join(dataDir, "clickbus.db");
  // A DATABASE_URL given by the test (a proxy's, another node's) is where this node's data is.
  const database: StoredDatabase = env.DATABASE_URL
    ? { engine: "postgres", url: env.DATABASE_URL }
    : await databaseOf(dataDir);
  let url = `http://127.0.0.1:${port}`;
  let log = "";
  const output = () => log;

  const launch = async (): Promise<ChildProcess> => {
    let launchLog = "";
    const started = spawn(process.execPath, ["--import", "tsx", "--import", LIFELINE, "server.ts"], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_PATH: databasePath,
        ...databaseEnv(database),
        LOG_LEVEL: "warn",
        ...TEST_LIMITS,
        ...env,
      },
      // stdin: the lifeline's pipe, never written to.
      stdio: ["pipe", "pipe", "pipe"],
    });
    const record = (chunk: Buffer) => {
      log += chunk.toString();
      launchLog += chunk.toString();
    };
    started.stdout?.on("data", record);
    started.stderr?.on("data", record);
    // `close`, not `exit`: only then has all the child's output been read.
    const closed = new Promise<string>((resolve) =>
      started.once("close", (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with ${code}`)),
    );
    try {
      await waitForHealth(url, closed, () => launchLog, 60_000);
    } catch (error) {
      // Nobody gets a handle on a node that never became healthy: end it here, or it outlives the run.
      if (isRunning(started)) started.kill("SIGKILL");
      await closed;
      throw error;
    }
    return started;
  };

  /** The first start moves to another free port if this one was taken before the node bound it. */
  const firstLaunch = async (tries = 3): Promise<ChildProcess> => {
    try {
      return await launch();
    } catch (error) {
      if (tries <= 1 || env.PORT !== undefined || !(error instanceof Error) || !PORT_TAKEN.test(error.message))
        throw error;
      port = await freePort();
      url = `http://127.0.0.1:${port}`;
      return firstLaunch(tries - 1);
    }
  };

  let child = await firstLaunch().catch((error: unknown) => {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const kill = async (signal: NodeJS.Signals) => {
    if (!isRunning(child)) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  };
  return {
    url,
    port,
    get pid() {
      return child.pid ?? 0;
    },
    dataDir,
    databasePath,
    database,
    output,
    kill,
    restart: async () => {
      if (isRunning(child)) throw new Error("restart: the node is still running; kill it first");
      child = await launch();
    },
    stop: async () => {
      await kill("SIGTERM");
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
