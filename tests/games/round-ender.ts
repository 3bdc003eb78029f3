// A stand-in for one node's round sweep, for tests/games/round-end.test.ts: at START_AT (epoch ms)
// it ends every due round of DATABASE_PATH with endDueRounds and prints how many it ended.
import { z } from "zod";

const startAt = z.coerce.number().int().parse(process.env.START_AT);
const { endDueRounds } = await import("@/lib/games/rounds");
const { db } = await import("@/db/client");
db(); // open the connection before the start line, so every process starts ending at once
// Spin rather than sleep: the processes must reach the database within the same millisecond.
while (Date.now() < startAt);
let ended = 0;
for (let batch = await endDueRounds(); batch > 0; batch = await endDueRounds()) ended += batch;
console.log(JSON.stringify({ ended }));
