// Shared frame of the game's server actions: require a session, run the lib function, and turn
// domain errors into a typed result the UI can show (never internals).
import { currentUser } from "@/lib/auth/current-user";
import type { SessionUser } from "@/lib/auth/users";
import type { AppErrorCode } from "@/lib/runtime/app-error";
import { knownFailure } from "@/lib/runtime/database-outage";
import { log } from "@/lib/log";

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorCode | "internal"; message: string };

export async function runAction<T>(
  name: string,
  work: (user: SessionUser) => T | Promise<T>,
): Promise<ActionResult<T>> {
  let user: SessionUser | null = null;
  try {
    // Inside the try: reading the session's user can meet a database outage too.
    user = await currentUser();
    if (!user) return { ok: false, error: "unauthorized", message: "Your session has ended. Sign in again." };
    return { ok: true, value: await work(user) };
  } catch (error) {
    const known = knownFailure(error);
    if (known) return { ok: false, error: known.code, message: known.message };
    log.error({ err: error, action: name, userId: user?.id }, "action failed");
    return { ok: false, error: "internal", message: "Something went wrong. Please try again." };
  }
}

/**
 * One field of an action's form argument. The argument comes from the client, so it may be any
 * decoded value (null, a plain object, an object whose `get` is another server action): only a
 * real FormData has fields, anything else reads as a missing field for zod to refuse.
 */
export function formField(formData: unknown, name: string): FormDataEntryValue | undefined {
  return formData instanceof FormData ? (formData.get(name) ?? undefined) : undefined;
}

/** Form state for `useActionState` forms. */
export type FormState = { message?: string; ok?: boolean; at?: number };

export function toFormState(result: ActionResult<unknown>, success: string): FormState {
  return result.ok
    ? { ok: true, message: success, at: Date.now() }
    : { ok: false, message: result.message, at: Date.now() };
}
