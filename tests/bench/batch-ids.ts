// Click batch ids unique within a bench run, in the shape the API asks for.
import { randomBytes } from "node:crypto";

const runTag = randomBytes(4).toString("hex");
let batchCount = 0;

/** A batch id unique within the run (8–64 characters of [A-Za-z0-9_-]). */
export function nextBatchId(): string {
  batchCount += 1;
  return `b${runTag}-${batchCount}`;
}
