// Opening an invite link changes nothing by itself (a link on another site must not make anyone
// join): a member is sent to the game, a signed-in visitor gets a Join button (a form post), and
// a signed-out visitor gets Join as guest, or sign-in. Unknown or revoked codes are not found.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { invitePreview, type InvitePreview } from "@/lib/games/invite-link";
import { findMemberRole } from "@/lib/games/membership";
import { suggestNickname } from "@/lib/games/guests";
import { GuestJoinForm } from "./guest-join-form";
import { JoinForm } from "./join-form";

export const metadata: Metadata = { title: "Join a game" };

function InviteHeading({ invite }: { invite: InvitePreview }) {
  return (
    <div className="text-center">
      <p className="text-sm font-medium uppercase tracking-wide text-slate-500">You are invited to</p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight break-words">{invite.name}</h1>
      <p className="mt-1 text-sm text-slate-600">
        by {invite.ownerName} · {invite.memberCount} player{invite.memberCount === 1 ? "" : "s"}
      </p>
    </div>
  );
}

export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const invite = await invitePreview(code);
  if (!invite) notFound();
  const user = await currentUser();
  if (user && (await findMemberRole(invite.gameId, user.id))) redirect(`/games/${invite.gameId}`);
  const back = encodeURIComponent(`/join/${code}`);
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <InviteHeading invite={invite} />
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        {user ? (
          <JoinForm code={code} username={user.username} />
        ) : (
          <GuestJoinForm code={code} suggestion={await suggestNickname()} />
        )}
      </div>
      {user ? null : (
        <p className="text-center text-sm text-slate-600">
          Have an account?{" "}
          <Link className="font-semibold text-indigo-700 underline" href={`/sign-in?callbackUrl=${back}`}>
            Sign in
          </Link>{" "}
          or{" "}
          <Link className="font-semibold text-indigo-700 underline" href={`/sign-up?callbackUrl=${back}`}>
            create one
          </Link>
          .
        </p>
      )}
    </div>
  );
}
