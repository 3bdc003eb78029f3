// Every page answers with the security headers, and the app really runs under its strict
// Content-Security-Policy: signing in, the lobby, a live game with clicks from two users and the
// bus log, without a single CSP violation reported by the browser.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { addMember, clickButton, createGame, expectTotal, openGame } from "./game-helpers";

type Violation = { directive: string; blocked: string };

/** Collects the page's CSP violations (the browser's own report events, and console errors). */
async function watchViolations(page: Page): Promise<Violation[]> {
  const violations: Violation[] = [];
  await page.exposeFunction("reportCspViolation", (directive: string, blocked: string) =>
    violations.push({ directive, blocked }),
  );
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { reportCspViolation: (d: string, b: string) => void }).reportCspViolation(
        event.violatedDirective,
        event.blockedURI,
      );
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
      violations.push({ directive: "console", blocked: message.text() });
  });
  return violations;
}

test("pages carry the security headers, with a fresh nonce each time", async ({ server }) => {
  const policies = [];
  for (const path of ["/sign-in", "/sign-in"]) {
    const response = await fetch(`${server.url}${path}`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-eval");
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    // Next put the same nonce on its inline scripts.
    expect(await response.text()).toContain(`nonce="${nonce}"`);
    policies.push(policy);
  }
  expect(policies[0]).not.toBe(policies[1]);
});

test("a game plays under the policy without any violation", async ({ server, createUser, asUser }) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  const [aliceViolations, bobViolations] = [await watchViolations(alice.page), await watchViolations(bob.page)];

  await alice.page.goto("/");
  await expect(alice.page.getByRole("link", { name: game.name })).toBeVisible();
  for (const page of [alice.page, bob.page]) await openGame(page, game.id);
  await clickButton(alice.page).click();
  await clickButton(bob.page).click();
  await expectTotal([alice.page, bob.page], 2);
  await alice.page.getByText(/^Bus log/).click();
  await expect(alice.page.getByRole("list", { name: "Bus log" })).toContainText("tally");
  expect([...aliceViolations, ...bobViolations]).toEqual([]);
});
