// Record ids taken from URL path segments. Only canonical decimal ids name a record, so
// "0x10", "1e3" or "07" are simply unknown ids rather than aliases of other records.
import { gameNotFound } from "@/lib/games/access";
import { parseRecordId } from "@/lib/runtime/record-id";

/** The id in `segment`, or null when it cannot name any record. */
export const pathId = (segment: string): number | null => parseRecordId(segment);

/** The game id in `segment`; a malformed one answers exactly like a game the caller cannot see. */
export function gamePathId(segment: string): number {
  const id = pathId(segment);
  if (id === null) throw gameNotFound();
  return id;
}
