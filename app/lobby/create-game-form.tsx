"use client";
// Creates a game and goes to it. Each submission carries a key, so a retry after a lost answer
// opens the game the first try made rather than making a second one.
import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { createGameAction, type CreateGameState } from "@/app/actions/games";
import { SubmitButton } from "@/app/components/submit-button";
import { useKeyedSubmit } from "@/app/components/use-keyed-submit";

export function CreateGameForm() {
  const [state, formAction] = useActionState<CreateGameState, FormData>(createGameAction, {});
  const submit = useKeyedSubmit("create-game", formAction, state);
  const router = useRouter();
  useEffect(() => {
    if (state.gameId !== undefined) router.push(`/games/${state.gameId}`);
  }, [state.gameId, router]);
  return (
    <form
      action={submit}
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
      {state.gameId !== undefined && (
        <p role="status" className="text-sm text-slate-600">
          Game created. Opening it…
        </p>
      )}
    </form>
  );
}
