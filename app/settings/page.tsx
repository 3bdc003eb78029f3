// Settings: a guest's first password, personal API tokens and "sign out everywhere".
import type { Metadata } from "next";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { requireUser } from "@/lib/auth/current-user";
import { isGuest } from "@/lib/auth/users";
import { env } from "@/lib/config/env";
import { signOutEverywhereAction } from "@/app/actions/settings";
import { ApiTokens } from "./api-tokens";
import { GuestPassword } from "./guest-password";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  const tokens = (await listApiTokens(user.id)).map((token) => ({
    id: token.id,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  }));
  const guest = await isGuest(user.id);
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">Settings</h1>
      {guest ? <GuestPassword retentionDays={env().GUEST_RETENTION_DAYS} /> : null}
      <ApiTokens tokens={tokens} />
      <section
        aria-labelledby="sessions-heading"
        className="space-y-2 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
      >
        <h2 id="sessions-heading" className="font-semibold">
          Sessions
        </h2>
        <p className="text-sm text-slate-600">
          Signs you out on every device and closes every open tab&apos;s live connection, including this one. API tokens
          are separate keys and keep working: revoke them under API tokens.
        </p>
        <form action={signOutEverywhereAction}>
          <button
            type="submit"
            className="rounded-lg border border-rose-300 px-3 py-1.5 text-sm font-medium text-rose-700 hover:bg-rose-50"
          >
            Sign out everywhere
          </button>
        </form>
      </section>
    </div>
  );
}
