// The cursor a server render hands to the browser: the newest notification id when the page was
// rendered, so the client's subscribe replays exactly what happened after it.
import { latestNotificationId } from "./store";

export function busCursor(): Promise<number> {
  return latestNotificationId();
}
