// The sign-up page.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { AuthCard } from "@/app/components/auth-card";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage() {
  if (await currentUser()) redirect("/");
  return (
    <AuthCard title="Create your account" footer={<>Already have one? <Link className="font-semibold text-indigo-700 underline" href="/sign-in">Sign in</Link></>}>
      <SignUpForm />
    </AuthCard>
  );
}
