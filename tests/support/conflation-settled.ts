// Waiting until no conflated announcement waits in bus_conflated: from then on no window's flush
// will write to the database, so a before/after comparison sees only what the request did.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { storedRow } from "./stored-rows";
import type { StoredDatabase } from "./test-database";

const waitingRow = z.object({ waiting: z.coerce.number() });
const SETTLE_MS = 10_000;

export async function conflationSettled(database: StoredDatabase): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    if (waitingRow.parse(await storedRow(database, "SELECT COUNT(*) AS waiting FROM bus_conflated")).waiting === 0)
      return;
    if (Date.now() > deadline)
      throw new Error(`conflated announcements still waited in bus_conflated after ${SETTLE_MS} ms`);
    await sleep(20);
  }
}
