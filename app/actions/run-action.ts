// Shared frame of the game's server actions: require a session, run the lib function, and turn
// domain errors into a typed result the UI can show (never internals).
import type { z } from "zod";
import { answerOnce, fingerprintOf, idempotencyKey } from "@/lib/api/idempotency";
import { currentUser } from "@/lib/auth/current-user";
import type { SessionUser } from "@/lib/auth/users";
import type { AppErrorCode } from "@/lib/runtime/app-error";
import { knownFailure } from "@/lib/runtime/database-outage";
import { log } from "@/lib/log";
import { actionSessionHistogram } from "@/lib/server/request-metrics";
import { SUBMISSION_KEY_FIELD, submissionFields } from "./submission-key";

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorCode | "internal"; message: string };

export async function runAction<T>(
  name: string,
  work: (user: SessionUser) => T | Promise<T>,
): Promise<ActionResult<T>> {
  let user: SessionUser | null = null;
  try {
    // Inside the try: reading the session's user can meet a database outage too.
    const asked = performance.now();
    user = await currentUser();
    actionSessionHistogram().observe({ action: name }, (performance.now() - asked) / 1000);
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
 * `runAction` for a form that creates something: a submission sent again with its key (a retry
 * after a lost answer) gets the first success back instead of creating twice (lib/api/idempotency.ts).
 * A failure keeps nothing, so its retry runs again. `value`: parses the kept answer on a repeat;
 * `kept`: what of the first answer may be kept and shown again (a secret is shown once, never stored).
 */
export async function runActionOnce<T>(
  name: string,
  formData: unknown,
  value: z.ZodType<T>,
  work: (user: SessionUser) => Promise<T>,
  kept: (first: T) => T = (first) => first,
): Promise<ActionResult<T>> {
  const key = idempotencyKey.safeParse(formField(formData, SUBMISSION_KEY_FIELD));
  if (!key.success) return runAction(name, work);
  // A key is only ever read from a real FormData (formField), so formData is one here.
  const fingerprint = fingerprintOf("action", name, formData instanceof FormData ? submissionFields(formData) : "");
  return runAction(name, async (user) => {
    let first: { value: T } | undefined;
    const answer = await answerOnce(user.id, `form:${key.data}`, fingerprint, async () => {
      first = { value: await work(user) };
      return { status: 200, body: JSON.stringify(kept(first.value)) };
    });
    return first && !answer.replayed ? first.value : value.parse(JSON.parse(answer.body));
  });
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
