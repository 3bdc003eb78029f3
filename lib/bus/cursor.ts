// The cursor a server render hands to the browser: the newest notification id when the page was
// rendered, so the client's subscribe replays exactly what happened after it.
import { db } from "@/db/client";
import { latestNotificationId } from "./store";

export function busCursor(): number {
  return latestNotificationId(db());
}
