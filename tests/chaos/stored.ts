// What a crashed-and-restarted node left in its database, read from the database itself:
// the game's counted batches and total, and the stored notifications of its channel.
import { z } from "zod";
import { storedRow, storedRows } from "../support/stored-rows";
import type { StoredDatabase } from "../support/test-database";

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

export async function readStored(database: StoredDatabase, gameId: number): Promise<Stored> {
  const batches = z.array(batchRow).parse(await storedRows(database, 'SELECT batch_id AS "batchId", count FROM click_batches WHERE game_id = ?', gameId));
  const rows = z.array(notificationRow).parse(await storedRows(database, 'SELECT id, event, payload, created_at AS "createdAt" FROM bus_notifications WHERE channel = ? ORDER BY id', `game:${gameId}`));
  const batchOf = (row: z.infer<typeof notificationRow>) => (row.event === "clicks" ? clicksPayload.parse(JSON.parse(row.payload)).batchId : undefined);
  return {
    batches: new Map(batches.map((row) => [row.batchId, row.count])),
    total: totalRow.parse(await storedRow(database, "SELECT total FROM games WHERE id = ?", gameId)).total,
    notificationIds: rows.map((row) => row.id),
    announcedBatches: rows.flatMap((row) => batchOf(row) ?? []),
    notifications: new Map(rows.map((row) => [row.id, { id: row.id, event: row.event, at: row.createdAt, batchId: batchOf(row) }])),
  };
}
