// How many rows a statement without RETURNING changed, on either engine: node-postgres says
// `rowCount`, better-sqlite3 `changes`. For deletes that may touch many rows, where RETURNING
// would send every id back only to be counted.
import { z } from "zod";

export const changedRows = z.union([
  z.object({ rowCount: z.number() }).transform((result) => result.rowCount),
  z.object({ changes: z.number() }).transform((result) => result.changes),
]);
