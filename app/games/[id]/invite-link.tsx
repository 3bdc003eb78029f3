"use client";
// The owner's invite link on the game page: shown to copy, replaced by a new one, or revoked.
import { useState, useTransition } from "react";
import { regenerateInviteLinkAction, revokeInviteLinkAction } from "@/app/actions/games";

export function InviteLink({ gameId, inviteCode }: { gameId: number; inviteCode: string | null }) {
  const [pending, startTransition] = useTransition();
  const [copied, setCopied] = useState(false);
  const link =
    inviteCode && typeof window !== "undefined"
      ? `${window.location.origin}/join/${inviteCode}`
      : inviteCode
        ? `/join/${inviteCode}`
        : null;
  return (
    <div className="space-y-2">
      <h3 className="text-sm font-semibold">Invite link</h3>
      {link ? (
        <>
          <input
            readOnly
            value={link}
            aria-label="Invite link"
            className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 text-xs"
            onFocus={(event) => event.currentTarget.select()}
          />
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100"
              onClick={() =>
                void navigator.clipboard.writeText(link).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? "Copied!" : "Copy link"}
            </button>
            <button
              type="button"
              disabled={pending}
              className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100"
              onClick={() => startTransition(async () => void (await regenerateInviteLinkAction(gameId)))}
            >
              New link
            </button>
            <button
              type="button"
              disabled={pending}
              className="rounded border border-rose-200 px-2 py-1 text-xs text-rose-700 hover:bg-rose-50"
              onClick={() => startTransition(async () => void (await revokeInviteLinkAction(gameId)))}
            >
              Revoke link
            </button>
          </div>
        </>
      ) : (
        <button
          type="button"
          disabled={pending}
          className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100"
          onClick={() => startTransition(async () => void (await regenerateInviteLinkAction(gameId)))}
        >
          Create invite link
        </button>
      )}
    </div>
  );
}
