// End-to-end for saved prompts, schedules and notifications: the real host (tests/CodyBatch.TestHost)
// serving the built UI, driven in headless Chromium. A saved prompt is created, a schedule uses it and
// fires every two seconds; the first firing's job ends and its signed notification reaches a receiver
// here that checks the signature as the README describes; the job page shows the delivery log.
import { spawn } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { assertAccessible, removeDataFolder } from "./checks.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const dist = resolve(here, "..", "dist");
const shots = join(here, "screenshots");
const hostDll = join(repo, "tests", "CodyBatch.TestHost", "bin", process.env.CONFIGURATION ?? "Release", "net10.0", "CodyBatch.TestHost.dll");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const apiKey = "e2e-key-0123456789abcdef";
const secret = "e2e-signing-secret-0123456789";

for (const path of [join(dist, "index.html"), hostDll, browserPath]) {
  if (!existsSync(path)) {
    console.error(`e2e (schedules): ${path} is missing; run bash scripts/test.sh.`);
    process.exit(2);
  }
}

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
const freePort = () => new Promise((done) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address();
    probe.close(() => done(port));
  });
});
const base = `http://127.0.0.1:${await freePort()}`;
const data = mkdtempSync(join(tmpdir(), "codybatch-e2e-"));
mkdirSync(shots, { recursive: true });
const host = spawn("dotnet", [
  hostDll,
  "--urls", base,
  "--CodyBatch:DataDirectory", data,
  "--CodyBatch:WebRoot", dist,
  "--CodyBatch:ApiKeys:0", apiKey,
  "--CodyBatch:Worker:PollInterval", "00:00:00.200",
  "--CodyBatch:Schedules:CheckInterval", "00:00:01",
  // The page's schedule fires every two seconds so the test sees firings; a server's floor is a minute by default.
  "--CodyBatch:Schedules:MinimumInterval", "00:00:01",
  "--CodyBatch:Notifications:WebhookUrl", `http://127.0.0.1:${receiver.address().port}/hook`,
  "--CodyBatch:Notifications:SigningSecret", secret,
  "--TestHost:Repositories", "acme/api,acme/web",
], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ASPNETCORE_ENVIRONMENT: "Production", DOTNET_ENVIRONMENT: "Production" } });
let hostOutput = "";
host.stdout.on("data", (d) => (hostOutput += d));
host.stderr.on("data", (d) => (hostOutput += d));

let browser;
const step = (name) => console.log(`e2e (schedules): ${name}`);
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300 || host.exitCode !== null) throw new Error(`the host did not start:\n${hostOutput}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript((key) => sessionStorage.setItem("codybatch.apiKey", key), apiKey);
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 400/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));

  step("save a prompt; a bad one shows the server's message per field");
  await page.goto(`${base}/prompts`);
  await page.getByText("No saved prompts yet.").waitFor();
  await page.getByRole("textbox", { name: "Name" }).fill("Readme line");
  await page.getByRole("textbox", { name: "Prompt" }).fill("Append a line to the README.");
  await page.getByLabel("Checks (one command a line)").fill("x".repeat(501));
  await page.getByRole("button", { name: "Save prompt" }).click();
  await page.getByText("A check is one command line of 1 to 500 characters, like 'npm test'.").waitFor();
  await page.getByLabel("Checks (one command a line)").fill("npm test");
  await page.getByRole("button", { name: "Save prompt" }).click();
  await page.getByRole("listitem", { name: "Readme line" }).waitFor();
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
  await form.getByRole("button", { name: "Create schedule" }).click();
  const card = page.getByRole("article", { name: "Every two seconds" });
  await card.getByText("enabled").waitFor();
  if ((await card.locator(".next-firings li").count()) !== 5) throw new Error("the schedule does not list five next firings");

  step("it fires; the past firing links to its job; pausing empties the next firings");
  await page.reload();
  await card.getByText(/started/).first().waitFor({ timeout: 20000 });
  await card.getByRole("button", { name: "Pause" }).click();
  await card.getByText("None while paused.").waitFor();
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
  host.kill("SIGKILL");
  receiver.close();
  removeDataFolder(data);
}
