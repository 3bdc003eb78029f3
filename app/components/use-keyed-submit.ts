"use client";
// One key per form submission, for actions that create (app/actions/run-action.ts, runActionOnce):
// a submission whose answer never came (the connection dropped, the error page showed) is sent
// again with the same key when its fields are the same, so the server answers the first result
// instead of creating twice. The pending key lives in sessionStorage, as the error page remounts
// the form; it is dropped once an answer arrives, and fields changed since mean a new submission.
import { useCallback, useEffect, useRef } from "react";
import { z } from "zod";
import { SUBMISSION_KEY_FIELD, submissionFields } from "@/app/actions/submission-key";

const STORAGE_PREFIX = "clickbus:submission:";
/** A submission left unanswered longer than this is not retried as the same one. */
const PENDING_MS = 10 * 60_000;

const pendingSubmission = z.object({ key: z.string(), fields: z.string(), at: z.number() });

function newKey(): string {
  // getRandomValues, not randomUUID: the latter needs a secure context, and a workshop may run on plain http.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function keyFor(form: string, formData: FormData): string {
  const fields = submissionFields(formData);
  try {
    const raw = sessionStorage.getItem(STORAGE_PREFIX + form);
    const pending = pendingSubmission.safeParse(raw === null ? undefined : JSON.parse(raw));
    if (pending.success && pending.data.fields === fields && Date.now() - pending.data.at < PENDING_MS)
      return pending.data.key;
    const key = newKey();
    sessionStorage.setItem(STORAGE_PREFIX + form, JSON.stringify({ key, fields, at: Date.now() }));
    return key;
  } catch {
    // Storage refused: this submission still has a key, only a remounted form will not find it.
    return newKey();
  }
}

/**
 * Wraps a `useActionState` action so that each submission carries its key. `form`: names the form
 * in storage; `answer`: the action's state, whose every change ends the pending submission.
 */
export function useKeyedSubmit(
  form: string,
  action: (formData: FormData) => void,
  answer: unknown,
): (formData: FormData) => void {
  // The state the form mounted with is no answer: a form remounted by the error page keeps its key.
  const initial = useRef(answer);
  useEffect(() => {
    if (answer === initial.current) return;
    try {
      sessionStorage.removeItem(STORAGE_PREFIX + form);
    } catch {
      // Storage refused: nothing was kept.
    }
  }, [form, answer]);
  return useCallback(
    (formData: FormData) => {
      formData.set(SUBMISSION_KEY_FIELD, keyFor(form, formData));
      action(formData);
    },
    [form, action],
  );
}
