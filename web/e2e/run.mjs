// End-to-end: the real `codybatch serve` host (tests/CodyBatch.TestHost: the product with a test
// repository host and a scripted agent behind it) serving the built UI, driven in headless
// Chromium. Saves a screenshot of each main page to e2e/screenshots. Exits non-zero on failure.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const dist = resolve(here, "..", "dist");
const shots = join(here, "screenshots");
const configuration = process.env.CONFIGURATION ?? "Release";
const hostDll = join(repo, "tests", "CodyBatch.TestHost", "bin", configuration, "net10.0", "CodyBatch.TestHost.dll");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const apiKey = "e2e-key-0123456789abcdef";

for (const [what, path] of [["the built UI (npm run build)", join(dist, "index.html")], ["the test host (dotnet build)", hostDll], ["Chromium", browserPath]]) {
  if (!existsSync(path)) {
    console.error(`e2e: ${what} is missing at ${path}; run bash scripts/test.sh.`);
    process.exit(2);
  }
}

const port = await new Promise((done) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => done(port));
  });
});
const base = `http://127.0.0.1:${port}`;

// Another site, as far as the browser is concerned (another port): the scripted agent's summary
// carries a markdown image pointing here, and the browser must never ask for it.
const imageRequests = [];
const imageServer = await new Promise((done) => {
  const server = createHttpServer((request, response) => {
    imageRequests.push(`${request.method} ${request.url} (referer: ${request.headers.referer ?? "none"})`);
    response.writeHead(200, { "content-type": "image/png" }).end();
  }).listen(0, "127.0.0.1", () => done(server));
});
const imageUrl = `http://127.0.0.1:${imageServer.address().port}/leak.png?d=job-data`;
const data = mkdtempSync(join(tmpdir(), "codybatch-e2e-"));
const download = mkdtempSync(join(tmpdir(), "codybatch-e2e-download-"));
mkdirSync(shots, { recursive: true });

const host = spawn("dotnet", [
  hostDll,
  "--urls", base,
  "--CodyBatch:DataDirectory", data,
  "--CodyBatch:WebRoot", dist,
  "--CodyBatch:ApiKeys:0", apiKey,
  "--CodyBatch:Worker:PollInterval", "00:00:00.200",
  "--TestHost:Repositories", "acme/api,acme/web,acme/docs,acme/cli,acme/lib,acme/six",
  "--TestHost:AgentDelay", "00:00:01",
  "--TestHost:SummaryExtra", `Details: ![leak](${imageUrl})`,
], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ASPNETCORE_ENVIRONMENT: "Production", DOTNET_ENVIRONMENT: "Production" } });
let hostOutput = "";
host.stdout.on("data", (d) => (hostOutput += d));
host.stderr.on("data", (d) => (hostOutput += d));

let browser;
const problems = [];
const step = (name) => console.log(`e2e: ${name}`);
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
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => {
    // The browser logs every non-2xx answer; those the UI handles on purpose are not errors: 401 before
    // signing in, 400 for the validation test, 503 from the repository list (no GitHub token here).
    // The policy's refusal of the hand-made image in the CSP step is expected too.
    const handled = /Failed to load resource: the server responded with a status of (400|401|503)/.test(m.text())
      || /(Refused to load|Loading) the image 'http:\/\/127\.0\.0\.1:\d+\/leak\.png.*Content Security Policy/.test(m.text());
    if (m.type() === "error" && !handled) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));

  step("a 401 leads to the sign-in page; a wrong key is refused, the right one signs in");
  await page.goto(base);
  await page.waitForURL(/\/sign-in/);
  await page.screenshot({ path: join(shots, "sign-in.png"), fullPage: true });
  await page.getByLabel("API key").fill("not-the-key-at-all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("That key is not accepted by this server.").waitFor();
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Jobs" }).waitFor();
  await page.getByText("No jobs yet").waitFor();

  step("six repositories: the server's validation message shows beside the repositories");
  await page.getByRole("link", { name: "New job" }).first().click();
  await page.getByRole("button", { name: "Fix security vulnerabilities" }).waitFor();
  await page.getByLabel("What should Claude do in every repository?").fill("Append a line to the README");
  for (const name of ["acme/api", "acme/web", "acme/docs", "acme/cli", "acme/lib", "acme/six"]) {
    await page.getByLabel("Add owner/name").fill(name);
    await page.getByRole("button", { name: "Add", exact: true }).click();
  }
  await page.getByText("A job takes at most 5 repositories.", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Create job" }).click();
  await page.getByText("A job takes at most 5 repositories; 6 were given. Split them over several jobs.").waitFor();
  await page.screenshot({ path: join(shots, "new-job-validation.png"), fullPage: true });

  step("create a job and watch it finish");
  for (const name of ["acme/six", "acme/lib", "acme/cli", "acme/docs"]) {
    await page.getByRole("button", { name: `remove ${name}` }).click();
  }
  await page.getByRole("button", { name: "Create job" }).click();
  await page.waitForURL(/\/jobs\/[0-9a-z]{26}$/);
  await page.getByRole("status", { name: "status completed" }).waitFor({ timeout: 30000 });
  const card = page.getByRole("article", { name: "acme/web" });
  await card.getByRole("status", { name: "status succeeded" }).waitFor();
  await card.getByText("Appended a line to README.md.").waitFor();
  await page.screenshot({ path: join(shots, "job.png"), fullPage: true });

  step("a markdown image from another host in a summary is not requested; the page says so and has a CSP");
  await card.getByText(`[image not loaded: leak — from 127.0.0.1:${imageServer.address().port}]`).waitFor();
  await page.waitForTimeout(1000);
  if (imageRequests.length > 0) throw new Error(`the browser requested the remote image: ${imageRequests.join("; ")}`);
  const shell = await fetch(`${base}/jobs/x`);
  const policy = shell.headers.get("content-security-policy") ?? "";
  if (!policy.includes("img-src 'self' data:")) throw new Error(`the page's Content-Security-Policy does not restrict images: "${policy}"`);
  const blocked = await page.evaluate(async (src) => {
    // The policy backs the UI up: even an image element put in by hand does not load.
    const img = document.createElement("img");
    const outcome = new Promise((done) => { img.onload = () => done("loaded"); img.onerror = () => done("blocked"); });
    img.src = src;
    document.body.append(img);
    return outcome;
  }, imageUrl);
  if (blocked !== "blocked" || imageRequests.length > 0) throw new Error(`the Content-Security-Policy let an image from another host load (${imageRequests.join("; ")})`);

  step("open the diff");
  await card.getByRole("button", { name: "View diff" }).click();
  await card.getByText("README.md").first().waitFor();
  await card.getByText("changed by acme/web").waitFor();
  await page.screenshot({ path: join(shots, "diff.png"), fullPage: true });

  step("download the patch");
  const [file] = await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: "Download patch" }).click()]);
  if (file.suggestedFilename() !== "acme-web.patch") throw new Error(`the download is named ${file.suggestedFilename()}`);
  const saved = join(download, file.suggestedFilename());
  await file.saveAs(saved);
  if (!readFileSync(saved, "utf8").includes("+changed by acme/web")) throw new Error("the downloaded patch lacks the change");

  step("open the thread");
  await card.getByRole("button", { name: "Hide diff" }).click();
  await card.getByRole("button", { name: "View thread" }).click();
  await card.getByText("Done.").waitFor();
  await page.screenshot({ path: join(shots, "thread.png"), fullPage: true });

  step("the jobs list shows the job with its progress; on a phone too");
  await page.getByRole("link", { name: "Jobs" }).click();
  await page.getByText("2/2 done").waitFor();
  await page.screenshot({ path: join(shots, "jobs.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, "jobs-phone.png"), fullPage: true });

  step("first load, signed in, cold cache");
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await fresh.addInitScript((key) => sessionStorage.setItem("codybatch.apiKey", key), apiKey);
  const cold = await fresh.newPage();
  const started = Date.now();
  await cold.goto(base);
  await cold.getByText("2/2 done").waitFor();
  const loaded = Date.now() - started;
  const timing = await cold.evaluate(() => {
    const [nav] = performance.getEntriesByType("navigation");
    return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd) };
  });
  console.log(`e2e: first load: DOMContentLoaded ${timing.domContentLoaded} ms, load ${timing.load} ms, jobs listed after ${loaded} ms`);
  await fresh.close();

  if (problems.length > 0) throw new Error(problems.join("\n"));
  console.log(`e2e: passed; screenshots in ${shots}`);
} catch (error) {
  console.error(`e2e: FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  host.kill("SIGKILL");
  imageServer.close();
  rmSync(data, { recursive: true, force: true });
  rmSync(download, { recursive: true, force: true });
}
