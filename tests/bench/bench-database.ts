// `npm run bench -- --database postgres://…`: a fresh database of its own on that server for the
// Clickbus node (created here, migrated by the node at start, dropped at the end), so runs never
// meet earlier data; without the flag the node uses a fresh SQLite file as before.
import { randomBytes } from "node:crypto";
import { redactUrl } from "@/lib/runtime/redact-url";
import { onPostgres } from "../support/postgres-server";

export type BenchDatabase = { engine: string; env: Record<string, string>; drop: () => Promise<void> };

export async function benchDatabase(serverUrl: string | undefined): Promise<BenchDatabase> {
  if (serverUrl === undefined) return { engine: "SQLite (WAL, one file)", env: {}, drop: async () => {} };
  const name = `clickbus_bench_${randomBytes(5).toString("hex")}`;
  const version = await onPostgres(serverUrl, async (client) => {
    await client.query(`create database ${name}`);
    const answer = await client.query<{ server_version: string }>("show server_version");
    return answer.rows[0]?.server_version ?? "?";
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    engine: `PostgreSQL ${version} at ${redactUrl(serverUrl)}`,
    env: { DATABASE_URL: url.toString() },
    drop: () =>
      onPostgres(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}
