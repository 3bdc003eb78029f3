// Statements prepared once per connection, for the hot path (every click batch): they skip
// Drizzle's SQL building and SQLite's parsing on every call. They are built on `current()` (the
// app's db(), or the bus's handle), so inside a transaction they belong to that transaction's
// connection: once for SQLite's single writer, once per transaction on PostgreSQL, whose pool has
// many connections (node-postgres then prepares a named statement once per server connection).
export function preparedOnce<C extends object, T>(current: () => C, build: (connection: C) => T): () => T {
  const byConnection = new WeakMap<C, T>();
  return () => {
    const connection = current();
    let statement = byConnection.get(connection);
    if (statement === undefined) {
      statement = build(connection);
      byConnection.set(connection, statement);
    }
    return statement;
  };
}
