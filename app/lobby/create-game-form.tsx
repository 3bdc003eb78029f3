"use client";
// Creates a game and goes to it.
import { useActionState } from "react";
import { createGameAction } from "@/app/actions/games";
import type { FormState } from "@/app/actions/run-action";
import { SubmitButton } from "@/app/components/submit-button";

export function CreateGameForm() {
  const [state, formAction] = useActionState<FormState, FormData>(createGameAction, {});
  return (
    <form
      action={formAction}
      aria-label="Create a game"
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <label htmlFor="new-game-name" className="mb-1 block font-semibold">
        New game
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id="new-game-name"
          name="name"
          required
          maxLength={60}
          placeholder="e.g. Friday workshop"
          className="min-w-0 flex-1 rounded-lg border border-slate-300 px-3 py-2"
        />
        <SubmitButton pendingLabel="Creating…">Create game</SubmitButton>
      </div>
      <p role="alert" className="min-h-5 text-sm text-rose-600">
        {state.message}
      </p>
    </form>
  );
}
