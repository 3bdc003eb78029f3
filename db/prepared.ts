// Statements prepared once per connection, for the hot path (every click batch): they skip
// Drizzle's SQL building and SQLite's parsing on every call. They are built on `db()`, so inside
// a transaction they belong to that transaction's connection: once for SQLite's single writer,
// once per transaction on PostgreSQL, whose pool has many connections (node-postgres then
// prepares a named statement once per server connection).
import { db, type Db } from "./client";

export function preparedOnce<T>(build: (connection: Db) => T): () => T {
  const byConnection = new WeakMap<Db, T>();
  return () => {
    const connection = db();
    let statement = byConnection.get(connection);
    if (statement === undefined) {
      statement = build(connection);
      byConnection.set(connection, statement);
    }
    return statement;
  };
}
