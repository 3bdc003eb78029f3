"use client";
// Join as guest: a nickname (prefilled, so one tap joins), no password; errors stay on the field.
// While the room is filling up (the game's join limit), the form tries again by itself.
import { useActionState, useEffect, useRef, useState } from "react";
import { joinAsGuestAction, type GuestJoinState } from "@/app/actions/guests";
import { Field } from "@/app/components/field";
import { SubmitButton } from "@/app/components/submit-button";

/**
 * Automatic tries (over the page's life) before the guest is left to tap again. Each waits the
 * server's Retry-After plus a random share of a growing spread, so that a room refused together
 * does not come back together.
 */
const MAX_AUTOMATIC_TRIES = 12;
const SPREAD_STEP_MS = 1000;
const MAX_SPREAD_MS = 8000;

export function GuestJoinForm({ code, suggestion }: { code: string; suggestion: string }) {
  const [state, formAction] = useActionState<GuestJoinState, FormData>(joinAsGuestAction, {});
  const form = useRef<HTMLFormElement>(null);
  // The effect counts in the ref (no re-run when it changes), the render reads the state.
  const automaticTries = useRef(0);
  const [triesMade, setTriesMade] = useState(0);
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const waiting = state.retryAfterSeconds !== undefined && triesMade < MAX_AUTOMATIC_TRIES;

  useEffect(() => {
    if (state.retryAfterSeconds === undefined || automaticTries.current >= MAX_AUTOMATIC_TRIES) return;
    const spread = Math.min(MAX_SPREAD_MS, SPREAD_STEP_MS * (automaticTries.current + 1));
    const due = Date.now() + state.retryAfterSeconds * 1000 + Math.random() * spread;
    const timer = setInterval(() => {
      const left = Math.ceil((due - Date.now()) / 1000);
      if (left > 0) {
        setSecondsLeft(left);
        return;
      }
      clearInterval(timer);
      setSecondsLeft(null);
      automaticTries.current += 1;
      setTriesMade(automaticTries.current);
      form.current?.requestSubmit();
    }, 250);
    return () => clearInterval(timer);
  }, [state]);

  return (
    <form ref={form} action={formAction} aria-label="Join as guest" className="space-y-4">
      <input type="hidden" name="code" value={code} />
      <Field
        label="Nickname"
        name="nickname"
        autoComplete="nickname"
        autoCapitalize="none"
        spellCheck={false}
        required
        minLength={3}
        maxLength={32}
        defaultValue={state.values?.nickname ?? suggestion}
        errors={state.errors?.nickname}
        hint="3–32 characters: letters, digits, '-' or '_'. No password needed."
      />
      <div role="status" aria-live="polite" className="text-sm font-medium text-indigo-700 empty:hidden">
        {waiting
          ? `Many players are joining right now. Joining you automatically in ${secondsLeft ?? state.retryAfterSeconds} s…`
          : null}
      </div>
      <div role="alert" aria-live="assertive" className="min-h-5 text-sm font-medium text-rose-600">
        {waiting ? null : state.message}
      </div>
      <SubmitButton pendingLabel="Joining…" className="w-full py-3 text-lg">
        Join as guest
      </SubmitButton>
    </form>
  );
}
