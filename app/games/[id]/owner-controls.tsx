"use client";
// The owner's controls: rename, invite by username, the invite link, and deleting the game.
import { useActionState, useState, useTransition } from "react";
import { deleteGameAction, inviteMemberAction, regenerateInviteLinkAction, renameGameAction, revokeInviteLinkAction } from "@/app/actions/games";
import type { FormState } from "@/app/actions/run-action";
import { SubmitButton } from "@/app/components/submit-button";

function FormMessage({ state }: { state: FormState }) {
  return (
    <p role={state.ok === false ? "alert" : "status"} className={`min-h-5 text-sm ${state.ok === false ? "text-rose-600" : "text-emerald-700"}`}>
      {state.message}
    </p>
  );
}

function InviteLink({ gameId, inviteCode }: { gameId: number; inviteCode: string | null }) {
  const [pending, startTransition] = useTransition();
  const [copied, setCopied] = useState(false);
  const link = inviteCode && typeof window !== "undefined" ? `${window.location.origin}/join/${inviteCode}` : inviteCode ? `/join/${inviteCode}` : null;
  return (
    <div className="space-y-2">
      <h3 className="text-sm font-semibold">Invite link</h3>
      {link ? (
        <>
          <input readOnly value={link} aria-label="Invite link" className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 text-xs" onFocus={(event) => event.currentTarget.select()} />
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100"
              onClick={() => void navigator.clipboard.writeText(link).then(() => setCopied(true), () => setCopied(false))}
            >
              {copied ? "Copied!" : "Copy link"}
            </button>
            <button type="button" disabled={pending} className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100" onClick={() => startTransition(async () => void (await regenerateInviteLinkAction(gameId)))}>
              New link
            </button>
            <button type="button" disabled={pending} className="rounded border border-rose-200 px-2 py-1 text-xs text-rose-700 hover:bg-rose-50" onClick={() => startTransition(async () => void (await revokeInviteLinkAction(gameId)))}>
              Revoke link
            </button>
          </div>
        </>
      ) : (
        <button type="button" disabled={pending} className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100" onClick={() => startTransition(async () => void (await regenerateInviteLinkAction(gameId)))}>
          Create invite link
        </button>
      )}
    </div>
  );
}

function DeleteGame({ gameId, name }: { gameId: number; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className="w-full rounded-lg border border-rose-300 px-3 py-1.5 text-sm font-medium text-rose-700 hover:bg-rose-50">
        Delete game…
      </button>
    );
  }
  return (
    <div role="group" aria-label="Confirm deletion" className="space-y-2 rounded-lg border border-rose-200 bg-rose-50 p-3 text-sm">
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
        <button type="button" onClick={() => setConfirming(false)} className="rounded border border-slate-300 bg-white px-3 py-1">
          Cancel
        </button>
      </div>
      {error ? <p role="alert" className="text-rose-700">{error}</p> : null}
    </div>
  );
}

export function OwnerControls({ gameId, name, inviteCode }: { gameId: number; name: string; inviteCode: string | null }) {
  const [renameState, renameAction] = useActionState<FormState, FormData>(renameGameAction.bind(null, gameId), {});
  const [inviteState, inviteAction] = useActionState<FormState, FormData>(inviteMemberAction.bind(null, gameId), {});
  return (
    <section aria-labelledby="owner-heading" className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="owner-heading" className="font-semibold">
        Owner controls
      </h2>
      <form action={renameAction} className="space-y-1">
        <label htmlFor="rename" className="block text-sm font-medium">
          Game name
        </label>
        <div className="flex gap-2">
          <input id="rename" name="name" defaultValue={name} key={name} required maxLength={60} className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1" />
          <SubmitButton pendingLabel="Saving…" className="px-3 py-1 text-sm">
            Rename
          </SubmitButton>
        </div>
        <FormMessage state={renameState} />
      </form>
      <form action={inviteAction} className="space-y-1">
        <label htmlFor="invite" className="block text-sm font-medium">
          Invite by username
        </label>
        <div className="flex gap-2">
          <input id="invite" name="username" required autoComplete="off" className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1" />
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
