"use client";
// Per-member contribution, with the owner's "Remove" and a member's own "Leave".
import { useState, useTransition } from "react";
import { leaveGameAction, removeMemberAction } from "@/app/actions/games";
import type { SessionUser } from "@/lib/auth/users";
import type { MemberView } from "@/lib/games/games";

type LeaderboardProps = { gameId: number; me: SessionUser; ownerId: number; members: MemberView[]; disabled: boolean };

export function Leaderboard({ gameId, me, ownerId, members, disabled }: LeaderboardProps) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (work: () => Promise<{ ok: boolean; message?: string }>) =>
    startTransition(async () => {
      setError(null);
      const result = await work();
      if (!result.ok) setError(result.message ?? "That did not work.");
    });

  return (
    <section aria-labelledby="leaderboard-heading" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="leaderboard-heading" className="mb-2 font-semibold">
        Leaderboard
      </h2>
      <ol aria-label="Leaderboard" className="space-y-2">
        {members.map((member, index) => (
          <li key={member.id} className="flex items-center gap-2 text-sm">
            <span className="w-5 text-right text-slate-400">{index + 1}.</span>
            <span className="font-medium">{member.username}</span>
            {member.id === ownerId ? <span className="rounded bg-indigo-50 px-1.5 text-xs text-indigo-700">owner</span> : null}
            {/* An <output> (not a span) so the count can carry a name; aria-live off so screen
                readers do not announce every member's every click. */}
            <output className="ml-auto tabular-nums" aria-live="off" aria-label={`${member.username} clicks`}>
              {member.clicks.toLocaleString("en")}
            </output>
            {me.id === ownerId && member.id !== ownerId ? (
              <button
                type="button"
                disabled={pending || disabled}
                onClick={() => run(() => removeMemberAction(gameId, member.id))}
                className="rounded border border-rose-200 px-2 py-0.5 text-xs text-rose-700 hover:bg-rose-50 disabled:opacity-50"
                aria-label={`Remove ${member.username}`}
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      {me.id !== ownerId && !disabled ? (
        <button
          type="button"
          disabled={pending}
          onClick={() => run(() => leaveGameAction(gameId))}
          className="mt-4 w-full rounded-lg border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50"
        >
          Leave game
        </button>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-rose-600">
          {error}
        </p>
      ) : null}
    </section>
  );
}
