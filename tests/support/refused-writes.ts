// Makes a test node's database refuse one kind of write to one table, on either engine, with a
// trigger: the node's own statement really fails (as on a full disk or a lost lock), nothing of
// the node is mocked. The returned function drops the trigger again.
import Database from "better-sqlite3";
import { onPostgres } from "./postgres-server";
import type { StoredDatabase } from "./test-database";

export type RefusedWrite = "update" | "delete" | "insert";

const TRIGGER = "clickbus_test_refuse";

/** Runs `statements` (several, no parameters) on one short-lived connection. */
async function execPostgres(url: string, statements: string): Promise<void> {
  await onPostgres(url, (client) => client.query(statements));
}

/** Until the returned function runs, every `write` to `table` fails with "refused by the test". */
export async function refuseWrites(
  database: StoredDatabase,
  table: string,
  write: RefusedWrite,
): Promise<() => Promise<void>> {
  const name = `${TRIGGER}_${table}_${write}`;
  if (database.engine === "sqlite") {
    const run = (statement: string) => {
      const db = new Database(database.path, { fileMustExist: true });
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    };
    run(`create trigger ${name} before ${write} on ${table} begin select raise(abort, 'refused by the test'); end`);
    return async () => run(`drop trigger ${name}`);
  }
  await execPostgres(
    database.url,
    `create or replace function ${TRIGGER}() returns trigger language plpgsql as $$
       begin raise exception 'refused by the test'; end $$;
     create trigger ${name} before ${write} on ${table} for each row execute function ${TRIGGER}();`,
  );
  return () => execPostgres(database.url, `drop trigger ${name} on ${table}; drop function if exists ${TRIGGER}();`);
}
