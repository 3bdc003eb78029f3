// Helpers of the bus specs: the bus log panel (its transport line and its notifications) and
// the header, by role and label.
import { expect, type Page } from "@playwright/test";

export const header = (page: Page) => page.getByRole("navigation", { name: "Main" });

const transportOf = (page: Page) => page.getByRole("status", { name: "Bus transport" });

/** Opens the tab's bus log panel if it is closed. */
export async function openBusLog(page: Page): Promise<void> {
  if (await transportOf(page).isVisible()) return;
  await page.getByText(/^Bus log/).click();
  await expect(transportOf(page)).toBeVisible();
}

/** The transport the tab's bus log reports: "shared" (the SharedWorker) or "tab" (its own socket). */
export async function expectTransport(page: Page, transport: "shared" | "tab"): Promise<void> {
  await openBusLog(page);
  await expect(transportOf(page)).toHaveText(new RegExp(`^${transport} `));
}

/** Every line of the tab's bus log, newest first. */
export async function busLog(page: Page): Promise<string[]> {
  await openBusLog(page);
  return page.getByRole("list", { name: "Bus log" }).getByRole("listitem").allInnerTexts();
}

/** The `tally` notifications in the tab's bus log (id and total), oldest first. */
export async function loggedTallies(page: Page): Promise<Array<{ id: number; total: number }>> {
  return (await busLog(page))
    .map((line) => /^#(\d+) game:\d+ tally \{"total":(\d+)/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ id: Number(match[1]), total: Number(match[2]) }))
    .reverse();
}

/** Waits until the tab's bus log holds at least `count` lines, then checks they are all on `channel`. */
export async function expectLogOnly(page: Page, channel: string, count: number): Promise<void> {
  await expect.poll(async () => (await busLog(page)).length).toBeGreaterThanOrEqual(count);
  for (const line of await busLog(page)) expect(line).toMatch(new RegExp(`^#(\\d+|volatile) ${channel} `));
}
