// End-to-end for saved prompts, schedules and notifications: the real host (tests/CodyBatch.TestHost)
// serving the built UI, driven in headless Chromium. A saved prompt (with no network) is created, a schedule
// (with no shell) uses it and
// fires every two seconds; the first firing's job ends and its signed notification reaches a receiver
// here that checks the signature as the README describes; the job page shows the delivery log.
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { assertAccessible } from "./checks.mjs";
import { launchBrowser, requireBuilt, shots, signedInPage, startHost } from "./host.mjs";

const apiKey = "e2e-key-0123456789abcdef";
const secret = "e2e-signing-secret-0123456789";
requireBuilt("schedules");

const received = [];
const problems = [];
const receiver = createServer((request, response) => {
  const chunks = [];
  request.on("data", (c) => chunks.push(c));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    const parts = Object.fromEntries(String(request.headers["x-codybatch-signature"] ?? "").split(",").map((p) => p.split("=", 2)));
    const expected = createHmac("sha256", secret).update(`${parts.t}.`).update(body).digest("hex");
    const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
    if (!fresh || typeof parts.v1 !== "string" || parts.v1.length !== expected.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(parts.v1))) {
      problems.push(`notification signature does not verify: ${request.headers["x-codybatch-signature"]}`);
      response.writeHead(401).end();
      return;
    }
    received.push(JSON.parse(body.toString("utf8")));
    response.writeHead(204).end();
  });
});
await new Promise((done) => receiver.listen(0, "127.0.0.1", done));
mkdirSync(shots, { recursive: true });
const server = await startHost([
  "--CodyBatch:ApiKeys:0", apiKey,
  "--CodyBatch:Worker:PollInterval", "00:00:00.200",
  "--CodyBatch:Schedules:CheckInterval", "00:00:01",
  // The page's schedule fires every two seconds so the test sees firings; a server's floor is a minute by default.
  "--CodyBatch:Schedules:MinimumInterval", "00:00:01",
  "--CodyBatch:Notifications:WebhookUrl", `http://127.0.0.1:${receiver.address().port}/hook`,
  "--CodyBatch:Notifications:SigningSecret", secret,
  "--TestHost:Repositories", "acme/api,acme/web",
]);
const { base } = server;

let browser;
const step = (name) => console.log(`e2e (schedules): ${name}`);
try {
  browser = await launchBrowser();
  const { page } = await signedInPage(browser, apiKey, problems);

  step("save a prompt; a bad one shows the server's message per field");
  await page.goto(`${base}/prompts`);
  await page.getByText("No saved prompts yet.").waitFor();
  await page.getByRole("textbox", { name: "Name" }).fill("Readme line");
  await page.getByRole("textbox", { name: "Prompt" }).fill("Append a line to the README.");
  await page.getByLabel("Network for setup and the shell").selectOption("none");
  await page.getByLabel("Checks (one command a line)").fill("x".repeat(501));
  await page.getByRole("button", { name: "Save prompt" }).click();
  await page.getByText("A check is one command line of 1 to 500 characters, like 'npm test'.").waitFor();
  await page.getByLabel("Checks (one command a line)").fill("npm test");
  await page.getByRole("button", { name: "Save prompt" }).click();
  await page.getByRole("listitem", { name: "Readme line" }).getByText("network: none").waitFor();
  await page.screenshot({ path: join(shots, "prompts.png"), fullPage: true });
  await assertAccessible(page, "saved prompts");

  step("a schedule with the saved prompt, firing every two seconds, shows its next firings");
  await page.getByRole("link", { name: "Schedules" }).click();
  await page.getByText("No schedules yet.").waitFor();
  const form = page.getByRole("form", { name: "New schedule" });
  await form.getByLabel("Name", { exact: true }).fill("Every two seconds");
  await form.getByLabel("Saved prompt").selectOption({ label: "Readme line" });
  await form.getByLabel("Repositories (owner/name, 1–5)").fill("acme/api, acme/web");
  await form.getByLabel("Cron", { exact: true }).fill("*/2 * * * * *");
  await form.getByLabel("Time zone", { exact: true }).fill("Europe/Berlin");
  await form.getByLabel("Claude's shell").selectOption("off");
  await form.getByRole("button", { name: "Create schedule" }).click();
  const card = page.getByRole("article", { name: "Every two seconds" });
  await card.getByText("enabled").waitFor();
  await card.getByText(/· no shell$/).waitFor();
  if ((await card.locator(".next-firings li").count()) !== 5) throw new Error("the schedule does not list five next firings");

  step("it fires; the past firing links to its job; pausing empties the next firings");
  await page.reload();
  await card.getByText(/started/).first().waitFor({ timeout: 20000 });
  await card.getByRole("button", { name: "Pause" }).click();
  await card.getByText("None while paused.").waitFor();

  step("editing the paused schedule shows its choices; the saved network reaches its card and it stays paused");
  await card.getByRole("button", { name: "Edit" }).click();
  const editForm = page.getByRole("form", { name: "Edit schedule" });
  if ((await editForm.getByLabel("Claude's shell").inputValue()) !== "off") throw new Error("the edit form does not show the schedule's shell");
  await editForm.getByLabel("Network for setup and the shell").selectOption("none");
  await editForm.getByRole("button", { name: "Save changes" }).click();
  await card.getByText(/· no shell · network: none$/).waitFor();
  await card.getByText("None while paused.").waitFor();
  await page.getByRole("form", { name: "New schedule" }).waitFor();
  await page.screenshot({ path: join(shots, "schedules.png"), fullPage: true });
  await assertAccessible(page, "schedules");
  await card.getByRole("link", { name: "job" }).last().click();
  await page.waitForURL(/\/jobs\/[0-9a-z]{26}$/);
  await page.locator(".toolbar .badge", { hasText: /^completed$/ }).waitFor({ timeout: 30000 });

  step("the job's signed notification reached the receiver; the job page shows the delivery");
  const notifications = page.getByRole("region", { name: "Notifications" });
  await notifications.getByText("delivered (204)").first().waitFor({ timeout: 20000 });
  await page.screenshot({ path: join(shots, "job-notifications.png"), fullPage: true });
  await assertAccessible(page, "job with notifications");
  if (!received.some((n) => n.schedule?.name === "Every two seconds" && n.event === "schedule.new_work" && n.outcomes.succeeded === 2)) {
    throw new Error(`no notification of the scheduled job arrived: ${JSON.stringify(received)}`);
  }

  if (problems.length > 0) throw new Error(problems.join("\n"));
  console.log("e2e (schedules): passed");
} catch (error) {
  console.error(`e2e (schedules): FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server.stop();
  receiver.close();
}
