// End-to-end for who you are: named keys with roles (created through the API by the configured admin key),
// the audit page and the spend chart under axe, and a viewer's and an operator's pages offering only what
// their role may do. The real host (tests/CodyBatch.TestHost) serving the built UI, in headless Chromium.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { assertAccessible } from "./checks.mjs";
import { apiAs, ended, launchBrowser, requireBuilt, shots, startHost, waitForJob } from "./host.mjs";

requireBuilt("access");
mkdirSync(shots, { recursive: true });
const adminKey = "e2e-admin-key-0123456789abcdef";
const server = await startHost([
  "--CodyBatch:ApiKeys:0", adminKey,
  "--CodyBatch:Worker:PollInterval", "00:00:00.200",
  "--TestHost:Repositories", "acme/api,acme/cli,acme/web",
  "--TestHost:FailFirst", "acme/cli",
  "--TestHost:AgentDelay", "00:00:00.300",
  "--TestHost:Turns", "2",
]);
const { base } = server;
const problems = [];
const step = (name) => console.log(`e2e (access): ${name}`);
// Every control that changes something; a viewer sees none of them, an operator none of the admin's.
const operatorButtons = ["New job", "Cancel job", "Cancel run", "Retry", "Retry all failed (1)", "Publish as pull request", "Run again", "Refresh pull requests", "Close open pull requests", "Delete branches of closed", "Edit", "Delete", "Save prompt", "Create job"];
const adminButtons = ["Pause", "Resume", "Create schedule"];

let browser;
try {
  const admin = apiAs(base, adminKey);
  step("an admin creates a viewer and an operator key; each is shown once");
  const viewer = await admin.post("/api/keys", { name: "Vera Viewer", role: "viewer" });
  const operator = await admin.post("/api/keys", { name: "Otto Operator", role: "operator" });
  if (!viewer.secret?.startsWith("cb_") || !operator.secret?.startsWith("cb_")) throw new Error("the created keys' texts are not in the answer");
  const ops = apiAs(base, operator.secret);
  const patchJob = await ops.post("/api/jobs", { prompt: "Append a line to the README", repositories: ["acme/api", "acme/cli"], mode: "patch", title: "Patch job" });
  await waitForJob(ops, patchJob.id, ended);
  await ops.post("/api/prompts", { name: "Readme line", description: "Appends a line.", prompt: "Append a line to the README." });
  await admin.post("/api/schedules", { name: "Mondays", prompt: "Append a line to the README.", repositories: ["acme/web"], cron: "0 6 * * 1", timeZone: "UTC" });

  browser = await launchBrowser();
  const pageFor = async (key) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((k) => sessionStorage.setItem("codybatch.apiKey", k), key);
    const page = await context.newPage();
    page.on("console", (m) => {
      // The viewer's visit to the audit page is refused on purpose (403).
      if (m.type() === "error" && !/status of 403/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("response", (r) => r.status() >= 500 && problems.push(`${r.status()} from ${r.url()}`));
    return page;
  };
  const buttonsOn = async (page) => [
    ...(await page.getByRole("button").allInnerTexts()),
    ...(await page.getByRole("link").allInnerTexts()),
  ].map((t) => t.trim());
  const refuseShown = async (page, where, names) => {
    const shown = await buttonsOn(page);
    const wrong = names.filter((n) => shown.includes(n));
    if (wrong.length > 0) throw new Error(`${where} offers ${wrong.join(", ")} to a role that cannot use it`);
  };

  step("the admin's audit page: who did what, filtered by who; no violations");
  const page = await pageFor(adminKey);
  await page.goto(base);
  await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "Audit log" }).click();
  await page.getByRole("heading", { name: "Audit log" }).waitFor();
  const rows = page.locator("table.audit-table tbody tr");
  await rows.filter({ hasText: "CreateApiKey" }).first().waitFor();
  await rows.filter({ hasText: "Otto Operator" }).filter({ hasText: "CreateJob" }).waitFor();
  await assertAccessible(page, "audit log");
  await page.screenshot({ path: join(shots, "audit.png"), fullPage: true });
  await page.getByLabel("Who").fill("Otto Operator");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/actor=Otto/);
  await rows.filter({ hasText: "CreatePrompt" }).or(rows.filter({ hasText: "CreateSavedPrompt" })).first().waitFor();
  const actors = await page.locator("table.audit-table tbody tr td:nth-child(2)").allInnerTexts();
  if (actors.length === 0 || actors.some((a) => a !== "Otto Operator")) throw new Error(`the filter by who shows ${actors.join(", ")}`);

  step("the spend page: the chart per day by key and the tables per key, campaign and day add up to the runs' costs");
  await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "Spend" }).click();
  await page.getByRole("heading", { name: "Spend" }).waitFor();
  const job = await admin.get(`/api/jobs/${patchJob.id}`);
  const cost = job.repositories.reduce((sum, r) => sum + Number(r.usage.costUsd), 0);
  const perKey = page.getByRole("table", { name: "Per key" }).getByRole("row", { name: /Otto Operator/ });
  await perKey.getByText(`$${cost.toFixed(2)}`).waitFor();
  await page.getByRole("table", { name: "Per campaign" }).getByRole("link", { name: patchJob.id }).waitFor();
  const chart = page.getByRole("img", { name: /^Cost per day from/ });
  await chart.waitFor();
  if ((await page.locator(`.spend-chart rect[data-author="Otto Operator"]`).count()) !== 1) throw new Error("the chart has no bar for the operator's day");
  await assertAccessible(page, "spend");
  await page.screenshot({ path: join(shots, "spend.png"), fullPage: true });

  step("a viewer sees every page and no control that changes anything");
  const seen = await pageFor(viewer.secret);
  await seen.goto(base);
  await seen.getByLabel("signed in as").getByText("Vera Viewer").waitFor();
  await seen.locator(".job-row", { hasText: "Patch job" }).waitFor();
  await refuseShown(seen, "the jobs list", [...operatorButtons, "Audit log", "Create one"]);
  await assertAccessible(seen, "jobs as a viewer");
  await seen.goto(`${base}/jobs/${patchJob.id}`);
  await seen.getByRole("article", { name: "acme/api" }).getByRole("button", { name: "View diff" }).waitFor();
  await seen.getByRole("article", { name: "acme/cli" }).getByText("failed", { exact: true }).waitFor();
  await refuseShown(seen, "a job page", operatorButtons);
  await assertAccessible(seen, "job as a viewer");
  await seen.screenshot({ path: join(shots, "job-viewer.png"), fullPage: true });
  await seen.goto(`${base}/prompts`);
  await seen.getByRole("listitem", { name: "Readme line" }).waitFor();
  await refuseShown(seen, "the saved prompts", operatorButtons);
  if (await seen.getByRole("form").count()) throw new Error("a viewer is offered the saved prompt form");
  await seen.goto(`${base}/schedules`);
  await seen.getByRole("article", { name: "Mondays" }).waitFor();
  await refuseShown(seen, "the schedules", [...operatorButtons, ...adminButtons]);
  await seen.getByText("Creating, pausing and deleting schedules needs the admin role.").waitFor();
  await assertAccessible(seen, "schedules as a viewer");
  await seen.goto(`${base}/new`);
  await seen.getByText("Creating jobs needs the operator role; the key Vera Viewer has the viewer role.").waitFor();
  await refuseShown(seen, "the new-job page", operatorButtons);
  await seen.goto(`${base}/audit`);
  await seen.getByText(/Could not load the audit log: .*admin role/).waitFor();

  step("an operator gets retry and publish, and none of the admin's controls");
  const op = await pageFor(operator.secret);
  await op.goto(`${base}/jobs/${patchJob.id}`);
  await op.getByRole("article", { name: "acme/cli" }).getByRole("button", { name: "Retry", exact: true }).waitFor();
  await op.getByRole("article", { name: "acme/api" }).getByRole("button", { name: "Publish as pull request" }).waitFor();
  await refuseShown(op, "a job page for an operator", ["Audit log"]);
  await op.goto(`${base}/schedules`);
  await op.getByRole("article", { name: "Mondays" }).waitFor();
  await refuseShown(op, "the schedules for an operator", adminButtons);
  await op.goto(`${base}/prompts`);
  await op.getByRole("button", { name: "Save prompt" }).waitFor();

  if (problems.length > 0) throw new Error(problems.join("\n"));
  console.log("e2e (access): passed");
} catch (error) {
  console.error(`e2e (access): FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server.stop();
}
