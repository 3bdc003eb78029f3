// The sign-in page; in demo mode it lists the demo log-ins.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/config/env";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/games/demo-seed";
import { AuthCard } from "@/app/components/auth-card";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentUser()) redirect("/");
  const { callbackUrl } = await searchParams;
  const redirectTo =
    typeof callbackUrl === "string" && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <AuthCard
      title="Sign in to Clickbus"
      footer={
        <>
          New here?{" "}
          <Link className="font-semibold text-indigo-700 underline" href="/sign-up">
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm redirectTo={redirectTo} />
      {env().CLICKBUS_DEMO ? (
        <aside
          aria-label="Demo log-ins"
          className="mt-6 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
        >
          <p className="font-semibold">Demo log-ins</p>
          <p>
            {DEMO_USERS.join(", ")} — password <code className="rounded bg-amber-100 px-1">{DEMO_PASSWORD}</code>
          </p>
        </aside>
      ) : null}
    </AuthCard>
  );
}
