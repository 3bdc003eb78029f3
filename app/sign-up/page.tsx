// The sign-up page.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { AuthCard } from "@/app/components/auth-card";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentUser()) redirect("/");
  // Where to land after signing up (an invite link, say); signUpAction accepts only local paths.
  const { callbackUrl } = await searchParams;
  const redirectTo = typeof callbackUrl === "string" ? callbackUrl : "/";
  const signInHref = redirectTo === "/" ? "/sign-in" : `/sign-in?callbackUrl=${encodeURIComponent(redirectTo)}`;
  return (
    <AuthCard
      title="Create your account"
      footer={
        <>
          Already have one?{" "}
          <Link className="font-semibold text-indigo-700 underline" href={signInHref}>
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm redirectTo={redirectTo} />
    </AuthCard>
  );
}
