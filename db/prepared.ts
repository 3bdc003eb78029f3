// Statements prepared once per connection, for the hot path (every click batch): they skip
// Drizzle's SQL building and SQLite's parsing on every call. There is one connection per
// process, so inside a `transact` callback they run in that transaction and see its writes.
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
