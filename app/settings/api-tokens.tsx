"use client";
// API tokens: create (the token is shown once), list, revoke.
import { useActionState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { createTokenAction, revokeTokenAction, type TokenFormState } from "@/app/actions/settings";
import { SubmitButton } from "@/app/components/submit-button";
import { useKeyedSubmit } from "@/app/components/use-keyed-submit";

type TokenRow = { id: number; name: string; createdAt: string; lastUsedAt: string | null };

export function ApiTokens({ tokens }: { tokens: TokenRow[] }) {
  const router = useRouter();
  const [state, formAction] = useActionState<TokenFormState, FormData>(async (previous, formData) => {
    const next = await createTokenAction(previous, formData);
    router.refresh();
    return next;
  }, {});
  // Keyed: a retry after a lost answer does not make a second token (app/actions/run-action.ts).
  const submit = useKeyedSubmit("create-token", formAction, state);
  const [pending, startTransition] = useTransition();
  return (
    <section
      aria-labelledby="tokens-heading"
      className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h2 id="tokens-heading" className="font-semibold">
        API tokens
      </h2>
      <p className="text-sm text-slate-600">
        For scripts and the HTTP API:{" "}
        <code className="rounded bg-slate-100 px-1">Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <form action={submit} className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex-1">
          <label htmlFor="token-name" className="block text-sm font-medium">
            Token name
          </label>
          <input
            id="token-name"
            name="name"
            required
            maxLength={64}
            placeholder="e.g. workshop script"
            className="w-full rounded-lg border border-slate-300 px-3 py-2"
          />
        </div>
        <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
      </form>
      {state.token ? (
        <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm">
          <p className="font-semibold">Token “{state.name}” created. Copy it now: it will not be shown again.</p>
          <input
            readOnly
            aria-label="New API token"
            value={state.token}
            className="mt-1 w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
            onFocus={(event) => event.currentTarget.select()}
          />
        </div>
      ) : null}
      {state.repeated ? (
        <p role="status" className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm">
          Token “{state.name}” was already created by this submission, and its secret is shown only once. If you did not
          copy it, revoke it below and create another.
        </p>
      ) : null}
      {state.message ? (
        <p role="alert" className="text-sm text-rose-600">
          {state.message}
        </p>
      ) : null}
      {tokens.length === 0 ? (
        <p className="text-sm text-slate-500">No tokens yet.</p>
      ) : (
        <ul aria-label="API tokens" className="divide-y divide-slate-100">
          {tokens.map((token) => (
            <li key={token.id} className="flex items-center justify-between gap-3 py-2 text-sm">
              <span>
                <strong>{token.name}</strong>
                <span className="block text-xs text-slate-500" suppressHydrationWarning>
                  created {new Date(token.createdAt).toLocaleString("en")} ·{" "}
                  {token.lastUsedAt ? `last used ${new Date(token.lastUsedAt).toLocaleString("en")}` : "never used"}
                </span>
              </span>
              <button
                type="button"
                disabled={pending}
                aria-label={`Revoke ${token.name}`}
                onClick={() =>
                  startTransition(async () => {
                    await revokeTokenAction(token.id);
                    router.refresh();
                  })
                }
                className="rounded border border-rose-200 px-2 py-1 text-xs text-rose-700 hover:bg-rose-50"
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
