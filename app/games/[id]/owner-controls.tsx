"use client";
// The owner's controls: rename, invite by username, the invite link, and deleting the game.
import { useActionState } from "react";
import { inviteMemberAction, renameGameAction } from "@/app/actions/games";
import type { FormState } from "@/app/actions/run-action";
import { SubmitButton } from "@/app/components/submit-button";
import { DeleteGame } from "./delete-game";
import { InviteLink } from "./invite-link";
import { useKeyedSubmit } from "@/app/components/use-keyed-submit";

function FormMessage({ state }: { state: FormState }) {
  return (
    <p
      role={state.ok === false ? "alert" : "status"}
      className={`min-h-5 text-sm ${state.ok === false ? "text-rose-600" : "text-emerald-700"}`}
    >
      {state.message}
    </p>
  );
}

export function OwnerControls({
  gameId,
  name,
  inviteCode,
}: {
  gameId: number;
  name: string;
  inviteCode: string | null;
}) {
  const [renameState, renameAction] = useActionState<FormState, FormData>(renameGameAction.bind(null, gameId), {});
  const [inviteState, inviteAction] = useActionState<FormState, FormData>(inviteMemberAction.bind(null, gameId), {});
  const invite = useKeyedSubmit(`invite-${gameId}`, inviteAction, inviteState);
  return (
    <section
      aria-labelledby="owner-heading"
      className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h2 id="owner-heading" className="font-semibold">
        Owner controls
      </h2>
      <form action={renameAction} className="space-y-1">
        <label htmlFor="rename" className="block text-sm font-medium">
          Game name
        </label>
        <div className="flex gap-2">
          <input
            id="rename"
            name="name"
            defaultValue={name}
            key={name}
            required
            maxLength={60}
            className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1"
          />
          <SubmitButton pendingLabel="Saving…" className="px-3 py-1 text-sm">
            Rename
          </SubmitButton>
        </div>
        <FormMessage state={renameState} />
      </form>
      <form action={invite} className="space-y-1">
        <label htmlFor="invite" className="block text-sm font-medium">
          Invite by username
        </label>
        <div className="flex gap-2">
          <input
            id="invite"
            name="username"
            required
            autoComplete="off"
            className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1"
          />
          <SubmitButton pendingLabel="Inviting…" className="px-3 py-1 text-sm">
            Invite
          </SubmitButton>
        </div>
        <FormMessage state={inviteState} />
      </form>
      <InviteLink gameId={gameId} inviteCode={inviteCode} />
      <DeleteGame gameId={gameId} name={name} />
    </section>
  );
}
