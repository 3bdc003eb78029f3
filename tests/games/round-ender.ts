// A stand-in for one node's round sweep, for tests/games/round-end.test.ts: at START_AT (epoch ms)
// it ends every due round of the configured database (DATABASE_PATH, or DATABASE_URL on the
// PostgreSQL run) with endDueRounds and prints how many it ended.
import { z } from "zod";

const startAt = z.coerce.number().int().parse(process.env.START_AT);
const { endDueRounds } = await import("@/lib/games/rounds");
const { closeDatabase, db } = await import("@/db/client");
const { rounds } = await import("@/db/tables");
// Connect before the start line (SQLite opens its file, the pool its first connection), so every
// process starts ending at once.
await db().select({ id: rounds.id }).from(rounds).limit(1);
// Spin rather than sleep: the processes must reach the database within the same millisecond.
while (Date.now() < startAt);
let ended = 0;
for (let batch = await endDueRounds(); batch > 0; batch = await endDueRounds()) ended += batch;
// A pool's idle connections would keep the process alive.
await closeDatabase();
console.log(JSON.stringify({ ended }));
