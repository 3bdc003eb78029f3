// Configuration: parseEnv's defaults, validation and persisted secret (lib/config/env.ts), and
// server.ts refusing to start, with exit code 1 and a clear message, on a bad value or taken port.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/config/env";
import { freePort } from "../support/server";

const SECRET = "s".repeat(32);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clickbus-env-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * An environment made of just these variables. Next's types declare NODE_ENV as always present
 * on ProcessEnv, while parseEnv's point is to default it, hence the one cast.
 */
function vars(values: Record<string, string>): NodeJS.ProcessEnv {
  return { ...values } as NodeJS.ProcessEnv;
}

/** The ConfigError that `parseEnv(source)` throws (fails the test when it does not throw). */
function configError(values: Record<string, string>): ConfigError {
  const source = vars(values);
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

describe("parseEnv", () => {
  it("fills in safe defaults", () => {
    // AUTH_SECRET is given so that the default data directory (./data) is not written to.
    const config = parseEnv(vars({ AUTH_SECRET: SECRET }));
    expect(config).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      HOST: "localhost",
      DATABASE_PATH: "./data/clickbus.db",
      AUTH_SECRET: SECRET,
      ALLOWED_ORIGINS: [],
      LOG_LEVEL: "info",
      TRUST_PROXY: 0,
      GUEST_RETENTION_DAYS: 30,
      CLICKBUS_DEMO: false,
    });
    // Unset REDIS_URL means a single node: no Redis adapter.
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.dataDir).toBe(resolve("data"));
  });

  it("accepts valid values and normalises allowed origins", () => {
    const config = parseEnv(
      vars({
        AUTH_SECRET: SECRET,
        PORT: "8080",
        ALLOWED_ORIGINS: " https://workshop.example/ , http://localhost:4000/path ",
        REDIS_URL: "redis://127.0.0.1:6379",
        LOG_LEVEL: "warn",
      }),
    );
    expect(config.PORT).toBe(8080);
    expect(config.ALLOWED_ORIGINS).toEqual(["https://workshop.example", "http://localhost:4000"]);
    expect(config.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(config.LOG_LEVEL).toBe("warn");
  });

  it.each([["abc"], ["-1"], ["65536"], ["3000.5"]])("rejects PORT=%s, naming the variable", (port) => {
    expect(configError({ AUTH_SECRET: SECRET, PORT: port }).message).toMatch(/PORT/);
  });

  it.each([["not a url"], ["ftp://files.example"], ["https://ok.example,javascript:alert(1)"]])(
    "rejects ALLOWED_ORIGINS=%s, naming the variable",
    (origins) => {
      expect(configError({ AUTH_SECRET: SECRET, ALLOWED_ORIGINS: origins }).message).toMatch(/ALLOWED_ORIGINS/);
    },
  );

  it.each([["http://127.0.0.1:6379"], ["127.0.0.1:6379"], ["redis"]])(
    "rejects REDIS_URL=%s, naming the variable",
    (url) => {
      expect(configError({ AUTH_SECRET: SECRET, REDIS_URL: url }).message).toMatch(/REDIS_URL/);
    },
  );

  it.each([["mysql://root@db/x"], ["postgres:/one-slash"], ["postgres://"], ["db.example:5432"]])(
    "rejects DATABASE_URL=%s, naming the variable",
    (url) => {
      expect(configError({ AUTH_SECRET: SECRET, DATABASE_URL: url }).message).toMatch(
        /DATABASE_URL: must be a postgres/,
      );
    },
  );

  it("needs AUTH_SECRET with DATABASE_URL (nodes on several machines share no secret file), and reads the URL", () => {
    expect(configError({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test" }).message).toMatch(
      /AUTH_SECRET: must be set when DATABASE_URL is/,
    );
    expect(
      parseEnv(vars({ AUTH_SECRET: SECRET, DATABASE_URL: "postgresql://app:pw@db1:5432/clickbus" })).DATABASE_URL,
    ).toBe("postgresql://app:pw@db1:5432/clickbus");
  });

  it.each([[""], ["has space"], ["x".repeat(65)], ["star*"]])(
    "rejects REDIS_PREFIX=%j, naming the variable",
    (prefix) => {
      expect(configError({ AUTH_SECRET: SECRET, REDIS_PREFIX: prefix }).message).toMatch(/REDIS_PREFIX/);
    },
  );

  it.each([
    ["false", 0],
    ["0", 0],
    ["", 0],
    ["true", 1],
    ["2", 2],
  ])("reads TRUST_PROXY=%j as %i trusted proxies", (value, hops) => {
    expect(parseEnv(vars({ AUTH_SECRET: SECRET, TRUST_PROXY: value })).TRUST_PROXY).toBe(hops);
  });

  it.each([["yes"], ["-1"], ["11"], ["1.5"]])("rejects TRUST_PROXY=%s, naming the variable", (value) => {
    expect(configError({ AUTH_SECRET: SECRET, TRUST_PROXY: value }).message).toMatch(/TRUST_PROXY/);
  });

  it.each([["0"], ["abc"], ["2.5"]])("rejects GUEST_RETENTION_DAYS=%s, naming the variable", (value) => {
    expect(configError({ AUTH_SECRET: SECRET, GUEST_RETENTION_DAYS: value }).message).toMatch(/GUEST_RETENTION_DAYS/);
  });

  it("rejects a short AUTH_SECRET and an unknown LOG_LEVEL, listing both", () => {
    const error = configError({ AUTH_SECRET: "short", LOG_LEVEL: "loud" });
    expect(error.issues.some((issue) => issue.startsWith("AUTH_SECRET"))).toBe(true);
    expect(error.issues.some((issue) => issue.startsWith("LOG_LEVEL"))).toBe(true);
  });

  it("creates a secret under the data directory with mode 0600 and reuses it", () => {
    const dataDir = join(dir, "nested", "data");
    const source = vars({ DATABASE_PATH: join(dataDir, "clickbus.db") });
    const first = parseEnv(source);
    const file = join(dataDir, "auth-secret");

    expect(first.dataDir).toBe(dataDir);
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, "utf8").trim()).toBe(first.AUTH_SECRET);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A restart (a new parse) keeps the same secret, so existing sessions stay valid.
    expect(parseEnv(source).AUTH_SECRET).toBe(first.AUTH_SECRET);
  });

  it("writes no secret file during `next build`; the first start after it does", () => {
    const dataDir = join(dir, "data");
    const database = join(dataDir, "clickbus.db");
    const built = parseEnv(vars({ DATABASE_PATH: database, NEXT_PHASE: "phase-production-build" }));
    expect(built.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(existsSync(dataDir)).toBe(false);

    const started = parseEnv(vars({ DATABASE_PATH: database, NEXT_PHASE: "phase-production-server" }));
    expect(readFileSync(join(dataDir, "auth-secret"), "utf8").trim()).toBe(started.AUTH_SECRET);
    expect(parseEnv(vars({ DATABASE_PATH: database })).AUTH_SECRET).toBe(started.AUTH_SECRET);
  });

  it("does not write a secret file when AUTH_SECRET is configured", () => {
    const config = parseEnv(vars({ DATABASE_PATH: join(dir, "clickbus.db"), AUTH_SECRET: SECRET }));
    expect(config.AUTH_SECRET).toBe(SECRET);
    expect(existsSync(join(dir, "auth-secret"))).toBe(false);
  });
});

type Exit = { code: number | null; output: string };

/** Runs `server.ts` as `npm start` would, and waits for it to exit on its own. */
function runServer(env: Record<string, string>, timeoutMs = 60_000): Promise<Exit> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        DATABASE_PATH: join(dir, "clickbus.db"),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // A server that starts instead of exiting is the failure this guards against.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server.ts did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

describe("server.ts start-up checks", () => {
  it("exits with code 1 and names the variable when PORT is invalid", async () => {
    const { code, output } = await runServer({ PORT: "abc" });
    expect(code).toBe(1);
    expect(output).toMatch(/Invalid configuration/);
    expect(output).toMatch(/PORT/);
  });

  it("exits with code 1 and names the variable when REDIS_URL is invalid", async () => {
    const { code, output } = await runServer({ PORT: "0", REDIS_URL: "http://nope" });
    expect(code).toBe(1);
    expect(output).toMatch(/REDIS_URL/);
  });

  it("exits with code 1 when DATABASE_URL is not a PostgreSQL URL, without echoing it", async () => {
    const wrong = await runServer({ PORT: "0", DATABASE_URL: "mysql://root:pw-not-shown@127.0.0.1/x" });
    expect(wrong.code).toBe(1);
    expect(wrong.output).toMatch(/DATABASE_URL: must be a postgres:\/\//);
    expect(wrong.output).not.toContain("pw-not-shown");
  });

  describe("with its port taken", () => {
    let blocker: Server;
    let port: number;
    beforeEach(async () => {
      port = await freePort();
      blocker = createServer();
      await new Promise<void>((ready, fail) => {
        blocker.once("error", fail);
        blocker.listen(port, "127.0.0.1", () => ready());
      });
    });
    afterEach(async () => {
      await new Promise<void>((closed) => blocker.close(() => closed()));
    });

    it("exits with code 1 and says the port is in use", async () => {
      const { code, output } = await runServer({ PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`port ${port} is already in use`);
    });
  });
});
