// End-to-end for fleet campaigns: the real host (tests/CodyBatch.TestHost: the product with the test repository
// host, its repository directory and the scripted agent) serving the built UI, in headless Chromium. A campaign
// made in the form shows its preview (the archived repository and the fork left out), starts, its canary runs
// and waits with the forecast, is approved, and then waits for pacing (at most three open pull requests). A
// second campaign triages: one repository is marked not needed, the canary skips it, an operator overrides it
// by hand. A third with a small budget stops at it with what is left. The repositories table filters and sorts;
// a viewer sees the campaign without a control that changes it. Every page is checked with axe.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { assertAccessible } from "./checks.mjs";
import { apiAs, launchBrowser, requireBuilt, shots, signedInPage, startHost } from "./host.mjs";

requireBuilt("campaigns");
mkdirSync(shots, { recursive: true });
const adminKey = "e2e-admin-key-0123456789abcdef";
const fleet = Array.from({ length: 12 }, (_, i) => `acme/svc-${String(i + 1).padStart(2, "0")}`);
const server = await startHost([
  "--CodyBatch:ApiKeys:0", adminKey,
  "--CodyBatch:Worker:PollInterval", "00:00:00.200",
  "--CodyBatch:Campaigns:Interval", "00:00:01",
  "--TestHost:Repositories", [...fleet, "acme/old-svc", "acme/svc-fork", "other/tool"].join(","),
  "--TestHost:Archived", "acme/old-svc",
  "--TestHost:Forks", "acme/svc-fork",
  "--TestHost:NotNeeded", "acme/svc-02",
  "--TestHost:AgentDelay", "00:00:00.200",
  "--TestHost:Turns", "2",
]);
const { base } = server;
const problems = [];
const step = (name) => console.log(`e2e (campaigns): ${name}`);

/** Polls the campaign until `done(campaign)` holds (nothing to await from outside the browser). */
async function waitForCampaign(api, id, done, what) {
  let campaign;
  for (let i = 0; i < 600; i++) {
    campaign = await api.get(`/api/campaigns/${id}`);
    if (done(campaign)) return campaign;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`campaign ${id} did not get to ${what}: ${campaign?.phase} · ${campaign?.waiting}`);
}

let browser;
try {
  const admin = apiAs(base, adminKey);
  browser = await launchBrowser();
  const { page } = await signedInPage(browser, adminKey, problems);

  step("the navigation leads to the campaigns; none yet");
  await page.goto(base);
  await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "Campaigns" }).click();
  await page.getByText("No campaign yet.").waitFor();
  await assertAccessible(page, "campaigns (empty)");

  step("the form: a bad pattern gets the server's message; the preview lists the selection and what is left out");
  await page.getByRole("link", { name: "New campaign" }).click();
  await page.getByRole("heading", { level: 1, name: "New campaign" }).waitFor();
  await page.getByLabel("Title (optional)").fill("Bump the base image");
  await page.getByLabel("What should Claude do in every repository?").fill("Bump the base image to the current release.");
  await page.getByLabel("Name patterns (acme/*, acme/api-*)").fill("nopattern");
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("alert").getByText("is not a name pattern").waitFor();
  if (!(await page.getByRole("button", { name: "Create campaign" }).isDisabled())) throw new Error("a campaign could be created before its preview");
  await page.getByLabel("Name patterns (acme/*, acme/api-*)").fill("acme/*");
  await page.getByLabel("Triage (a cheap read-only pass that decides where the fix runs)").selectOption("off");
  await page.getByLabel("Jobs at once (1–100)").fill("2");
  await page.getByLabel("Budget in USD (optional)").fill("5");
  await page.getByLabel("At most this many open pull requests at once (optional)").fill("3");
  await page.getByLabel("At most this many new pull requests an hour (optional)").fill("30");
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByRole("region", { name: /Preview: 12 repositories/ });
  await preview.waitFor();
  if ((await preview.locator(".preview-repositories li").count()) !== 12) throw new Error("the preview does not list the twelve repositories");
  await preview.getByText("acme/old-svc:").waitFor();
  await preview.getByText("acme/svc-fork:").waitFor();
  if (await preview.getByText("other/tool").count()) throw new Error("the preview lists a repository outside the pattern");
  // The canary's job holds five, but at most three pull requests may be open: the preview says it takes three, and why.
  await preview.getByText("the canary takes 3 repositories; at most 3 jobs of up to five").waitFor();
  await preview.getByText(/The canary takes 3 of the 5 repositories its 1 job\(s\) hold/).waitFor();
  await page.screenshot({ path: join(shots, "campaign-new.png"), fullPage: true });
  await assertAccessible(page, "new campaign with its preview");

  step("creating shows the campaign in preview, waiting for approval; starting runs the canary");
  await page.getByRole("button", { name: "Create campaign" }).click();
  await page.waitForURL(/\/campaigns\/(?!new$)[^/]+$/);
  const id = page.url().split("/").pop();
  await page.getByRole("heading", { level: 1, name: "Bump the base image" }).waitFor();
  await page.getByRole("status").getByText("Waiting for the preview to be approved.").waitFor();
  await assertAccessible(page, "campaign in preview");
  await page.getByRole("button", { name: "Approve and start" }).click();
  const canary = page.getByRole("region", { name: /canary/ });
  await canary.waitFor();

  step("the canary ends; the campaign waits with its results and the forecast");
  await canary.getByRole("heading", { name: "The canary's results" }).waitFor({ timeout: 60000 });
  const waiting = await waitForCampaign(admin, id, (c) => c.phase === "awaitingApproval", "awaiting approval");
  const perRepository = Number(waiting.money.costPerRepositoryUsd);
  const expectedForecast = Number(waiting.money.spentUsd) + Number(waiting.money.inFlightEstimateUsd) + perRepository * Number(waiting.counts.left);
  if (Math.abs(Number(waiting.money.forecastUsd) - expectedForecast) > 0.0001 || Number(waiting.counts.left) !== 9) {
    throw new Error(`the forecast is not the canary's cost per repository × the 9 left: ${JSON.stringify(waiting.money)} ${JSON.stringify(waiting.repositories.map((r) => [r.repository, r.phase, r.runStatus, r.costUsd]))}`);
  }
  const forecastLine = `× 9 left.`;
  await canary.locator(".forecast", { hasText: forecastLine }).waitFor();
  // The canary honours the cap of open pull requests too: three repositories, not five.
  if ((await canary.getByRole("listitem").count()) !== 3) throw new Error("the canary does not list its three repositories");
  await canary.getByText("acme/svc-01: changed, pull request open").waitFor();
  await page.screenshot({ path: join(shots, "campaign-canary.png"), fullPage: true });
  await assertAccessible(page, "campaign awaiting approval");

  step("a viewer sees the campaign and its forecast, and no control that changes it");
  const viewer = await admin.post("/api/keys", { name: "Vera Viewer", role: "viewer" });
  const { context: viewerContext, page: viewerPage } = await signedInPage(browser, viewer.secret, problems);
  await viewerPage.goto(`${base}/campaigns/${id}`);
  await viewerPage.getByRole("region", { name: /canary/ }).locator(".forecast").waitFor();
  await viewerPage.getByText("Vera Viewer").waitFor();
  for (const name of ["Approve the fan-out", "Pause", "Cancel campaign", "Approve and start"]) {
    if (await viewerPage.getByRole("button", { name }).count()) throw new Error(`a viewer is offered "${name}"`);
  }
  await viewerPage.goto(`${base}/campaigns`);
  await viewerPage.getByRole("link", { name: "Bump the base image" }).waitFor();
  if (await viewerPage.getByRole("link", { name: "New campaign" }).count()) throw new Error("a viewer is offered a new campaign");
  await viewerContext.close();

  step("approval fans out; with three pull requests open and at most three allowed, it waits for pacing");
  await canary.getByRole("button", { name: "Approve the fan-out" }).click();
  const paced = await waitForCampaign(admin, id, (c) => c.phase === "fanOut" && /^Pacing/.test(c.waiting ?? ""), "a pacing wait");
  if (paced.counts.running !== 0 || paced.repositories.some((r) => !r.canary && r.phase !== "pending")) throw new Error("a job started past the cap of open pull requests");
  await page.getByRole("status").getByText(/^Pacing: 3 pull request\(s\) open/).waitFor();
  await page.getByRole("region", { name: "Pacing" }).getByText("3 of at most 3 pull requests open; 3 of at most 30 opened in the past hour.").waitFor();
  await page.getByRole("region", { name: "Pacing" }).getByText("A cap is reached").waitFor();
  await page.getByRole("region", { name: "Burndown" }).getByRole("img", { name: "Burndown: 3 open, 0 merged, 0 closed" }).waitFor();
  await page.getByRole("region", { name: "Spent, forecast and budget" }).getByText(/^\$0\.\d\d of \$5\.00 spent, \$4\.\d\d left; the forecast \$0\.\d\d fits\.$/).waitFor();

  step("the repositories table: phases, outcomes, pull requests; filters and sorting");
  const table = page.getByRole("region", { name: "Repositories" });
  const rows = table.locator("tbody tr");
  if ((await rows.count()) !== 12) throw new Error("the table does not have the twelve repositories");
  await table.locator('tr[data-repository="acme/svc-03"]').getByRole("link", { name: "changed" }).waitFor();
  await table.locator('tr[data-repository="acme/svc-03"]').getByRole("link", { name: "open" }).waitFor();
  await table.getByLabel("Show").selectOption("pending");
  await table.getByRole("status").getByText("9 of 12").waitFor();
  await table.getByLabel("Show").selectOption("openPullRequest");
  await table.getByRole("status").getByText("3 of 12").waitFor();
  await table.getByLabel("Show").selectOption("all");
  await table.getByLabel("Name").fill("svc-1");
  await table.getByRole("status").getByText("3 of 12").waitFor();
  await table.getByLabel("Name").fill("");
  await table.getByRole("button", { name: "Repository" }).click();
  await table.getByRole("button", { name: "Repository" }).click();
  if ((await rows.first().getAttribute("data-repository")) !== "acme/svc-12") throw new Error("sorting by name, descending, does not put acme/svc-12 first");
  await table.locator('th[aria-sort="descending"]').waitFor();
  await page.screenshot({ path: join(shots, "campaign-pacing.png"), fullPage: true });
  await assertAccessible(page, "campaign waiting for pacing");

  step("pause and resume; cancel asks first and skips what did not start");
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("status").getByText("Paused: nothing new starts until it is resumed.").waitFor();
  await page.getByRole("button", { name: "Resume" }).click();
  await page.getByRole("button", { name: "Pause" }).waitFor();

  step("triage answers per repository, read-only; the canary takes those that need the fix; an operator overrides one by hand");
  const triaged = await admin.post("/api/campaigns", {
    title: "Triaged", job: { prompt: "Bump the base image.", mode: "patch" },
    selection: { repositories: fleet.slice(0, 8) }, triage: "on", canaryJobs: 1, concurrency: 1,
  });
  if (!triaged.preview.triage) throw new Error("the preview does not say triage runs");
  const triagedId = triaged.campaign.id;
  await admin.post(`/api/campaigns/${triagedId}/approve`);
  const afterCanary = await waitForCampaign(admin, triagedId, (c) => c.phase === "awaitingApproval", "awaiting approval after triage and the canary");
  if (afterCanary.repositories.find((r) => r.repository === "acme/svc-02").phase !== "notNeeded" || Number(afterCanary.counts.left) !== 2) {
    throw new Error(`triage did not mark acme/svc-02 as not needed: ${JSON.stringify(afterCanary.counts)}`);
  }
  await page.goto(`${base}/campaigns/${triagedId}`);
  const triageRow = page.getByRole("region", { name: "Repositories" }).locator('tr[data-repository="acme/svc-02"]');
  await triageRow.getByText("not necessary (90 %)").waitFor();
  await triageRow.getByText("The Dockerfile already uses the new base image.").waitFor();
  await page.getByRole("region", { name: "Counts" }).getByText("7 necessary · 1 not necessary").waitFor();
  await page.getByRole("region", { name: /canary/ }).locator(".forecast", { hasText: "× 2 left." }).waitFor();
  await assertAccessible(page, "campaign after triage and its canary");
  await triageRow.getByRole("combobox", { name: "triage override for acme/svc-02" }).selectOption("yes");
  await triageRow.getByText("necessary (by hand)").waitFor();
  await page.getByRole("region", { name: /canary/ }).locator(".forecast", { hasText: "× 3 left." }).waitFor();
  await page.screenshot({ path: join(shots, "campaign-triage.png"), fullPage: true });

  step("a campaign with a $0.05 budget stops at it, with the runs in flight finished and what is left said");
  const small = await admin.post("/api/campaigns", {
    title: "Small budget", job: { prompt: "Remove the deprecated client.", mode: "patch" },
    selection: { repositories: fleet.slice(0, 8) }, triage: "off", canaryJobs: 0, concurrency: 1, budgetUsd: 0.05,
  });
  const smallId = small.campaign.id;
  await admin.post(`/api/campaigns/${smallId}/approve`);
  const stopped = await waitForCampaign(admin, smallId, (c) => c.phase === "stoppedAtBudget", "stopped at budget");
  if (stopped.counts.running !== 0 || Number(stopped.counts.done) !== 5 || Number(stopped.counts.left) !== 3) throw new Error(`the budget did not stop where the arithmetic says: ${JSON.stringify(stopped.counts)}`);
  const spent = Number(stopped.money.spentUsd);
  await page.goto(`${base}/campaigns/${smallId}`);
  await page.getByRole("heading", { level: 1, name: "Small budget" }).waitFor();
  await page.locator(".budget-state.stopped").getByText(`Stopped at budget: $${spent.toFixed(2)} of $0.05 spent, $0.00 left.`).waitFor();
  await page.getByRole("status").getByText(/^Stopped at budget: spent \$0\.\d\d of \$0\.05; 3 repositories left\.$/).waitFor();
  await page.getByRole("region", { name: "Spent, forecast and budget" }).getByRole("img", { name: /^Spent \$0\.\d\d, forecast \$0\.\d\d, budget \$0\.05\.$/ }).waitFor();
  if (await page.getByRole("button", { name: "Pause" }).count()) throw new Error("a campaign stopped at budget offers Pause");
  await page.screenshot({ path: join(shots, "campaign-budget.png"), fullPage: true });
  await assertAccessible(page, "campaign stopped at budget");

  step("the list shows both; cancelling the first asks, then skips its pending repositories");
  await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "Campaigns" }).click();
  await page.getByRole("link", { name: "Small budget" }).waitFor();
  await page.getByRole("row", { name: /Bump the base image/ }).waitFor();
  await assertAccessible(page, "campaigns list");
  await page.getByRole("link", { name: "Bump the base image" }).click();
  await page.getByRole("button", { name: "Cancel campaign" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel campaign" }).click();
  await page.locator('.campaign-state .badge[data-phase="cancelled"]').waitFor();
  await waitForCampaign(admin, id, (c) => Number(c.counts.skipped) === 9 && Number(c.counts.done) === 3, "its 9 pending repositories skipped");

  if (problems.length > 0) throw new Error(problems.join("\n"));
  console.log("e2e (campaigns): passed");
} catch (error) {
  console.error(`e2e (campaigns): FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server.stop();
}
