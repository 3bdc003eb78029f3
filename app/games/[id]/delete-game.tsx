"use client";
// Deleting a game from its page: a button, then a confirmation naming the game.
import { useState, useTransition } from "react";
import { deleteGameAction } from "@/app/actions/games";

export function DeleteGame({ gameId, name }: { gameId: number; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (!confirming) {
    return (
      <button
        type="button"
        onClick={() => setConfirming(true)}
        className="w-full rounded-lg border border-rose-300 px-3 py-1.5 text-sm font-medium text-rose-700 hover:bg-rose-50"
      >
        Delete game…
      </button>
    );
  }
  return (
    <div
      role="group"
      aria-label="Confirm deletion"
      className="space-y-2 rounded-lg border border-rose-200 bg-rose-50 p-3 text-sm"
    >
      <p>Delete “{name}” for every player? This cannot be undone.</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await deleteGameAction(gameId);
              if (!result.ok) setError(result.message);
            })
          }
          className="rounded bg-rose-600 px-3 py-1 font-semibold text-white hover:bg-rose-500"
        >
          Yes, delete
        </button>
        <button
          type="button"
          onClick={() => setConfirming(false)}
          className="rounded border border-slate-300 bg-white px-3 py-1"
        >
          Cancel
        </button>
      </div>
      {error ? (
        <p role="alert" className="text-rose-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
