// A fingerprint of everything a request could change in the server's SQLite file, read through a
// read-only connection, so a fuzz test can show that a refused input changed nothing.
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * Tables compared row by row, minus the columns the server touches on any authenticated call
 * (a token's `last_used_at` at most once a minute, a user's `last_seen_at` at most hourly).
 */
const COMPARED: Record<string, string> = {
  users: "SELECT id, username, password_hash, session_epoch, guest, created_at FROM users ORDER BY id",
  games: "SELECT * FROM games ORDER BY id",
  members: "SELECT * FROM members ORDER BY game_id, user_id",
  api_tokens: "SELECT id, user_id, name, token_hash, created_at FROM api_tokens ORDER BY id",
  rounds: "SELECT * FROM rounds ORDER BY id",
  round_scores: "SELECT * FROM round_scores ORDER BY rowid",
  // Ids are not used up by a refused write: a rolled-back insert restores the sequence.
  sqlite_sequence: "SELECT * FROM sqlite_sequence ORDER BY name",
};
/**
 * Append-only tables that background jobs prune (retention, history): a refused input must not
 * add a row, and only that is compared (the newest rowid), so a prune cannot fail the test.
 */
const APPENDED = ["bus_notifications", "click_batches", "activities"];

const newest = z.object({ newest: z.number().nullable() });

export class DbFingerprint {
  private readonly db: Database.Database;

  constructor(databasePath: string) {
    this.db = new Database(databasePath, { readonly: true, fileMustExist: true });
  }

  /** One read transaction, so the fingerprint is of one committed state. */
  read(): Record<string, string> {
    return this.db.transaction(() => {
      const print: Record<string, string> = {};
      for (const [table, query] of Object.entries(COMPARED))
        print[table] = createHash("sha256")
          .update(JSON.stringify(this.db.prepare(query).raw().all()))
          .digest("hex");
      for (const table of APPENDED)
        print[table] = String(newest.parse(this.db.prepare(`SELECT max(rowid) AS newest FROM ${table}`).get()).newest);
      return print;
    })();
  }

  /**
   * Resolves once no conflated announcement waits in bus_conflated: from then on no window's
   * flush writes a notification that the next request did not cause.
   */
  async settle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const waiting = this.db.prepare("SELECT count(*) FROM bus_conflated").pluck();
    while (z.number().parse(waiting.get()) > 0) {
      if (Date.now() > deadline) throw new Error(`conflated announcements still waited after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The tables whose fingerprint differs between `before` and `after`. */
  static changed(before: Record<string, string>, after: Record<string, string>): string[] {
    return Object.keys(after).filter((table) => before[table] !== after[table]);
  }

  close(): void {
    this.db.close();
  }
}
