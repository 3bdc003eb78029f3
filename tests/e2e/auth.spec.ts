// Sign-up, sign-in and sign-out through the real forms, their error messages, and a session
// made by a script (csrf + credentials callback) carried by every tab of a browser context.
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

function freshName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

function header(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

async function fillSignUp(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByRole("form", { name: "Sign up" });
  await form.getByLabel("Username").fill(username);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Create account" }).click();
}

async function fillSignIn(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Username").fill(username);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

test("sign up lands signed in; sign out; sign in again through the form", async ({ page }) => {
  const username = freshName("newbie");
  const password = "a-long-enough-password";

  await page.goto("/sign-up");
  await fillSignUp(page, username, password);
  await expect(page).toHaveURL(/\/$/);
  await expect(header(page).getByText(`Signed in as ${username}`)).toBeVisible();

  await header(page).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(header(page).getByText(/Signed in as/)).toHaveCount(0);
  // Signed out for real: the lobby sends us back to the sign-in page.
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);

  await fillSignIn(page, username, password);
  await expect(page).toHaveURL(/\/$/);
  await expect(header(page).getByText(`Signed in as ${username}`)).toBeVisible();
});

test("a wrong password shows the form error and keeps the user signed out", async ({ page, createUser }) => {
  const user = await createUser("wrongpw");
  await page.goto("/sign-in");
  await fillSignIn(page, user.username, "not-the-password");
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    "Wrong username or password.",
  );
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(header(page).getByText(/Signed in as/)).toHaveCount(0);
  // The username is kept so that only the password needs retyping.
  await expect(page.getByRole("form", { name: "Sign in" }).getByLabel("Username")).toHaveValue(user.username);
});

test("signing up with a taken username shows a field error", async ({ page, createUser }) => {
  const existing = await createUser("taken");
  await page.goto("/sign-up");
  await fillSignUp(page, existing.username, "another-long-password");
  const usernameField = page.getByRole("form", { name: "Sign up" }).getByLabel("Username");
  await expect(usernameField).toHaveAccessibleDescription(/That username is taken/);
  await expect(usernameField).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up/);
  await expect(header(page).getByText(/Signed in as/)).toHaveCount(0);
});

test("a too-short password on sign-up shows a field error and creates no account", async ({ page, server }) => {
  const username = freshName("shorty");
  await page.goto("/sign-up");
  await fillSignUp(page, username, "short");
  const passwordField = page.getByRole("form", { name: "Sign up" }).getByLabel("Password");
  await expect(passwordField).toHaveAccessibleDescription(/Password must be at least 8 characters/);
  await expect(passwordField).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up/);

  // No account was made: the same username is still free to register.
  const response = await fetch(`${server.url}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "now-long-enough" }),
  });
  expect(response.status).toBe(201);
});

test("a scripted sign-in is shared by every tab of the user's context, not by other users", async ({ asUser }) => {
  const alice = await asUser();
  const bob = await asUser();
  const secondTab = await alice.newTab();

  await alice.page.goto("/");
  await secondTab.goto("/");
  await bob.page.goto("/");
  await expect(header(alice.page).getByText(`Signed in as ${alice.user.username}`)).toBeVisible();
  await expect(header(secondTab).getByText(`Signed in as ${alice.user.username}`)).toBeVisible();
  await expect(header(bob.page).getByText(`Signed in as ${bob.user.username}`)).toBeVisible();

  // Signing out in one tab ends the session of the whole context, not bob's.
  await header(secondTab).getByRole("button", { name: "Sign out" }).click();
  await expect(secondTab).toHaveURL(/\/sign-in/);
  await alice.page.reload();
  await expect(alice.page).toHaveURL(/\/sign-in/);
  await bob.page.reload();
  await expect(header(bob.page).getByText(`Signed in as ${bob.user.username}`)).toBeVisible();
});
