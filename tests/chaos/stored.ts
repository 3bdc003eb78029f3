// What a crashed-and-restarted node left in its SQLite file, read from the file itself (read-only):
// the game's counted batches and total, and the stored notifications of its channel.
import Database from "better-sqlite3";
import { z } from "zod";

const batchRow = z.strictObject({ batchId: z.string(), count: z.number().int() });
const notificationRow = z.strictObject({ id: z.number().int(), event: z.string(), payload: z.string(), createdAt: z.number() });
const totalRow = z.strictObject({ total: z.number().int() });
const clicksPayload = z.object({ batchId: z.string() });

/** A stored notification as a failure report shows it: when it was committed, and by which batch. */
export type StoredNotification = { id: number; event: string; at: number; batchId?: string };

export type Stored = {
  /** batchId → count of every batch counted in the game. */
  batches: Map<string, number>;
  total: number;
  /** Ids of the channel's stored notifications, ascending. */
  notificationIds: number[];
  /** The batchId of every stored `clicks` notification, in id order. */
  announcedBatches: string[];
  notifications: Map<number, StoredNotification>;
};

export function readStored(databasePath: string, gameId: number): Stored {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const batches = z.array(batchRow).parse(db.prepare("SELECT batch_id AS batchId, count FROM click_batches WHERE game_id = ?").all(gameId));
    const rows = z.array(notificationRow).parse(db.prepare("SELECT id, event, payload, created_at AS createdAt FROM bus_notifications WHERE channel = ? ORDER BY id").all(`game:${gameId}`));
    const batchOf = (row: z.infer<typeof notificationRow>) => (row.event === "clicks" ? clicksPayload.parse(JSON.parse(row.payload)).batchId : undefined);
    return {
      batches: new Map(batches.map((row) => [row.batchId, row.count])),
      total: totalRow.parse(db.prepare("SELECT total FROM games WHERE id = ?").get(gameId)).total,
      notificationIds: rows.map((row) => row.id),
      announcedBatches: rows.flatMap((row) => batchOf(row) ?? []),
      notifications: new Map(rows.map((row) => [row.id, { id: row.id, event: row.event, at: row.createdAt, batchId: batchOf(row) }])),
    };
  } finally {
    db.close();
  }
}
