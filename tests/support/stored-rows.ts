// Reads what a test node stored, straight from its database and on either engine, for tests that
// check the database itself rather than the node's answers. Queries are written once in SQL both
// engines read (`?` placeholders, quoted camelCase aliases); values come back alike: 64-bit
// integers as numbers, instants as epoch milliseconds (SQLite's timestamp_ms columns), booleans as 0/1.
import Database from "better-sqlite3";
import pg from "pg";
import type { StoredDatabase } from "./test-database";

export type Row = Record<string, unknown>;

const INT8 = 20;
const TIMESTAMPTZ = 1184;
const BOOL = 16;

/** node-postgres parsers that make PostgreSQL's values look like better-sqlite3's. */
const sqliteLikeTypes = {
  getTypeParser: (oid: number, format?: "text" | "binary") => {
    if (oid === INT8) return (text: string) => Number(text);
    if (oid === TIMESTAMPTZ) return (text: string) => Date.parse(text);
    if (oid === BOOL) return (text: string) => (text === "t" ? 1 : 0);
    return pg.types.getTypeParser(oid, format ?? "text");
  },
};

/** `?` placeholders as PostgreSQL's `$1`, `$2`, … (the queries here hold no `?` in literals). */
function numbered(query: string): string {
  let index = 0;
  return query.replace(/\?/g, () => `$${(index += 1)}`);
}

export async function storedRows(
  database: StoredDatabase,
  query: string,
  ...params: (number | string)[]
): Promise<Row[]> {
  if (database.engine === "sqlite") {
    const db = new Database(database.path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare<unknown[], Row>(query).all(...params);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url, types: sqliteLikeTypes });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query<Row>(numbered(query), params)).rows;
  } finally {
    await client.end();
  }
}

/** The first row, or undefined. */
export async function storedRow(
  database: StoredDatabase,
  query: string,
  ...params: (number | string)[]
): Promise<Row | undefined> {
  return (await storedRows(database, query, ...params))[0];
}
