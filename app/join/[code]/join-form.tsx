"use client";
// The Join button of an invite link for a signed-in visitor: posts joinGameAction, which lands
// her on the game.
import Link from "next/link";
import { useActionState } from "react";
import { joinGameAction } from "@/app/actions/games";
import type { FormState } from "@/app/actions/run-action";
import { SubmitButton } from "@/app/components/submit-button";

export function JoinForm({ code, username }: { code: string; username: string }) {
  const [state, formAction] = useActionState<FormState, FormData>(joinGameAction, {});
  return (
    <form action={formAction} aria-label="Join the game" className="space-y-3 text-center">
      <input type="hidden" name="code" value={code} />
      <p className="text-sm text-slate-600">
        You will play as <strong className="text-slate-900">{username}</strong>.
      </p>
      <SubmitButton pendingLabel="Joining…" className="w-full py-3 text-lg">
        Join
      </SubmitButton>
      <p role="alert" className="min-h-5 text-sm text-rose-600">
        {state.message}
      </p>
      <Link href="/" className="text-sm text-slate-600 underline">
        Not now, back to the lobby
      </Link>
    </form>
  );
}
