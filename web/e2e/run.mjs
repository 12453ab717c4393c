// End-to-end: the real `codybatch serve` host (tests/CodyBatch.TestHost: the product with a test
// repository host and a scripted agent behind it) serving the built UI, driven in headless
// Chromium. Saves a screenshot of each main page to e2e/screenshots. Exits non-zero on failure.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertAccessible, contrast, firstPageScriptBytes } from "./checks.mjs";
import { apiAs, dist, launchBrowser, requireBuilt, shots, startHost, waitForJob as waitFor } from "./host.mjs";

const apiKey = "e2e-key-0123456789abcdef";
requireBuilt("run");

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
const download = mkdtempSync(join(tmpdir(), "codybatch-e2e-download-"));
mkdirSync(shots, { recursive: true });

let server;
let browser;
let breakingEvents = false; // while the e2e run cuts the events stream on purpose
const problems = [];
const step = (name) => console.log(`e2e: ${name}`);
try {
  server = await startHost([
    "--CodyBatch:ApiKeys:0", apiKey,
    "--CodyBatch:Worker:PollInterval", "00:00:00.200",
    "--CodyBatch:Worker:ProgressInterval", "00:00:00.100",
    "--CodyBatch:Worker:ThreadStoreInterval", "00:00:00.300",
    "--TestHost:Repositories", "acme/api,acme/web,acme/docs,acme/cli,acme/lib,acme/six,acme/long",
    "--TestHost:AgentDelay", "00:00:02",
    "--TestHost:Turns", "4",
    "--TestHost:FailFirst", "acme/cli,acme/lib",
    "--TestHost:Long", "acme/long",
    "--TestHost:SummaryExtra", `Details: ![leak](${imageUrl})`,
    "--TestHost:ShellTurn", "3",
    // The scripted agent needs no key; with one set, the server says Claude is available, as it would in use.
  ], { ANTHROPIC_API_KEY: "e2e-not-a-real-key-0000" });
  const { base, data } = server;
  browser = await launchBrowser();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => {
    // The browser logs every non-2xx answer; those the UI handles on purpose are not errors: 401 before
    // signing in, 400 for the validation test, 404 and 409 for the errors shown in place, 503 from the repository list.
    // The policy's refusal of the hand-made image in the CSP step is expected too.
    const handled = /Failed to load resource: the server responded with a status of (400|401|404|409|503)/.test(m.text())
      || (breakingEvents && /Failed to load resource: net::ERR_FAILED/.test(m.text()))
      || /(Refused to load|Loading) the image 'http:\/\/127\.0\.0\.1:\d+\/leak\.png.*Content Security Policy/.test(m.text());
    if (m.type() === "error" && !handled) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));

  const client = apiAs(base, apiKey);
  const apiPost = client.post;
  const apiGet = client.get;
  const createJob = (repositories, title) => apiPost("/api/jobs", { prompt: "Append a line to the README", repositories, title });
  const waitForJob = (id, done) => waitFor(client, id, done);
  const ended = (job) => job.repositories.every((r) => ["succeeded", "failed", "cancelled"].includes(r.status));

  step("a 401 leads to the sign-in page; a wrong key is refused, the right one signs in");
  await page.goto(base);
  await page.waitForURL(/\/sign-in/);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await assertAccessible(page, "sign-in");
  await page.screenshot({ path: join(shots, "sign-in.png"), fullPage: true });
  await page.getByLabel("API key").fill("not-the-key-at-all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("That key is not accepted by this server.").waitFor();
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Jobs" }).waitFor();
  await page.getByText("No jobs yet").waitFor();
  await assertAccessible(page, "jobs (empty)");

  step("focus and contrast: a focused button's ring and the inputs' borders stand out at 3:1 or more");
  await page.getByRole("button", { name: "Search", exact: true }).focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  const ring = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return { outline: style.outlineColor, width: style.outlineWidth, style: style.outlineStyle };
  });
  const border = await page.evaluate(() => getComputedStyle(document.querySelector("input[type=search]")).borderTopColor);
  const page_ = await page.evaluate(() => getComputedStyle(document.body).backgroundColor === "rgba(0, 0, 0, 0)" ? getComputedStyle(document.documentElement).backgroundColor : getComputedStyle(document.body).backgroundColor);
  for (const [what, color] of [["focus ring", ring.outline], ["input border", border]]) {
    for (const background of ["rgb(255, 255, 255)", page_]) {
      const ratio = contrast(color, background);
      if (ratio < 3) throw new Error(`${what} ${color} on ${background} has contrast ${ratio.toFixed(2)}:1, under 3:1`);
    }
  }
  if (ring.style === "none" || parseFloat(ring.width) < 2) throw new Error(`the focus ring is ${ring.width} ${ring.style}`);
  console.log(`e2e: focus ring ${ring.outline} ${contrast(ring.outline, "rgb(255, 255, 255)").toFixed(2)}:1, input border ${border} ${contrast(border, "rgb(255, 255, 255)").toFixed(2)}:1 on white`);

  step("the navigation reaches the saved prompts page");
  await apiPost("/api/prompts", { name: "Readme with checks", description: "Appends a line; checks the README is there.", prompt: "Append a line to the README, then stop.", mode: "patch", checks: ["test -f README.md"], shell: false, network: "none" });
  await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "Saved prompts" }).click();
  await page.getByRole("heading", { name: "Saved prompts" }).waitFor();
  await page.getByRole("listitem", { name: "Readme with checks" }).waitFor();

  step("navigating moves focus to the page heading and sets the tab title; the form says what the server can do");
  await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "New job" }).click();
  await page.getByRole("heading", { name: "New job" }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === "H1" && document.title === "New job · Cody Batch");
  await page.getByText(/Up to 5 repositories\. Each run stops at 60 turns, 5,000,000 tokens or \$5\.00\./).waitFor();
  await page.getByText(/GitHub is not available: GITHUB_TOKEN/).waitFor();
  if (await page.getByLabel("Or pick from GitHub").count()) throw new Error("the GitHub picker is offered although GitHub is not available");
  await page.getByRole("group", { name: "Templates" }).getByRole("button", { name: "Fix security vulnerabilities" }).waitFor();
  await assertAccessible(page, "new job");

  step("the form offers saved prompts beside the templates; one brings its prompt, mode, checks, shell and network");
  await page.getByRole("group", { name: "Saved prompts" }).getByRole("button", { name: "Readme with checks" }).click();
  if ((await page.getByLabel("What should Claude do in every repository?").inputValue()) !== "Append a line to the README, then stop.") throw new Error("the saved prompt did not fill the prompt");
  if (!(await page.getByRole("radio", { name: "Patch only" }).isChecked())) throw new Error("the saved prompt's mode (patch) was not taken");
  if ((await page.getByLabel("Which checks").inputValue()) !== "these" || (await page.getByLabel("Check commands, one per line").inputValue()) !== "test -f README.md") throw new Error("the saved prompt's checks were not taken");
  if ((await page.getByRole("checkbox", { name: "Give Claude a shell" }).isChecked()) || (await page.getByLabel("Network for setup and the shell").inputValue()) !== "none") {
    throw new Error("the saved prompt's shell (off) and network (none) were not taken");
  }
  await assertAccessible(page, "new job with a saved prompt");
  await page.getByRole("checkbox", { name: "Give Claude a shell" }).check();
  await page.getByLabel("Network for setup and the shell").selectOption("");
  step("the extended thinking checkbox sits by its label, and the label toggles it");
  const box = await page.getByRole("checkbox", { name: "Extended thinking" }).boundingBox();
  const text = await page.locator("label[for=thinking]").boundingBox();
  if (text.x - (box.x + box.width) > 16 || Math.abs(text.y + text.height / 2 - (box.y + box.height / 2)) > 8) throw new Error(`the checkbox (${JSON.stringify(box)}) is far from its label (${JSON.stringify(text)})`);
  await page.locator("label[for=thinking]").click();
  await page.getByLabel("Thinking budget per response (tokens, 1,024–64,000; billed as output)").waitFor();
  await page.locator("label[for=thinking]").click();
  await page.getByRole("radio", { name: "Pull request", exact: true }).check();
  await page.getByLabel("Which checks").selectOption("detect");

  step("a pasted list adds every repository; six are refused by the server with its message");
  await page.getByLabel("What should Claude do in every repository?").fill("Append a line to the README");
  await page.getByLabel("Add owner/name").fill("acme/api, acme/web acme/docs\nacme/cli");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  for (const name of ["acme/lib", "acme/six"]) {
    await page.getByLabel("Add owner/name").fill(name);
    await page.getByLabel("Add owner/name").press("Enter");
  }
  await page.getByText("A job takes at most 5 repositories.", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Create job" }).click();
  await page.getByText("A job takes at most 5 repositories; 6 were given. Split them over several jobs.").waitFor();
  await page.screenshot({ path: join(shots, "new-job-validation.png"), fullPage: true });

  step("create a job and watch it work: activity, the clock and the partial thread before the run ends");
  for (const name of ["acme/six", "acme/lib", "acme/docs"]) {
    await page.getByRole("button", { name: `remove ${name}` }).click();
  }
  await page.getByRole("button", { name: "Create job" }).click();
  await page.waitForURL(/\/jobs\/[0-9a-z]{26}$/);
  const firstId = page.url().split("/").pop();
  const card = page.getByRole("article", { name: "acme/web" });
  await card.locator(".activity", { hasText: /turn \d+ · search_code `query\(`/ }).waitFor();
  const clockBefore = await card.locator(".clock").textContent();
  await card.getByRole("button", { name: "Watch thread" }).click();
  await card.getByText("step 1", { exact: true }).waitFor();
  await card.getByText("search `query(` → 12 matches").first().waitFor();
  await page.waitForTimeout(1500);
  const clockAfter = await card.locator(".clock").textContent();
  const stillWorking = (await apiGet(`/api/jobs/${firstId}`)).repositories.find((r) => r.repository === "acme/web").status;
  if (!["fetching", "analyzing", "publishing"].includes(stillWorking)) throw new Error(`the run ended (${stillWorking}) before the live checks were done; slow the agent down`);
  if (clockBefore === clockAfter) throw new Error(`the clock did not move: ${clockBefore}`);
  console.log(`e2e: live: clock ${clockBefore} → ${clockAfter} while the run was ${stillWorking}`);
  step("the shell's command in the live activity and, readable, in the thread");
  await card.locator(".activity", { hasText: "turn 3 · running: npm install lodash@4" }).waitFor();
  const shellCall = card.locator("details.tool-call.shell", { hasText: "$ npm install lodash@4 → exit 0 · 1.2 s" });
  await shellCall.locator("summary").click();
  if ((await shellCall.locator("pre.shell-command").textContent()) !== "$ npm install lodash@4") throw new Error("the shell call does not show its command line");
  await shellCall.getByText("npm warn <img src=/x onerror=alert(1)> **deprecated** inflight@1.0.6", { exact: false }).waitFor();
  if ((await card.locator(".thread img, .thread strong", { hasText: "deprecated" }).count()) > 0) throw new Error("the shell's output was rendered as markup");
  await page.screenshot({ path: join(shots, "job-live.png"), fullPage: true });

  step("honest outcome: a job with a failed run says so in its header and counts");
  await page.getByText("completed with failures").first().waitFor({ timeout: 30000 });
  await page.getByText("2 succeeded (2 changed) · 1 failed").waitFor();
  await card.getByText("succeeded", { exact: true }).waitFor();
  await page.getByRole("article", { name: "acme/cli" }).getByText("The scripted agent failed on purpose on its first run.").waitFor();

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
    const result = await outcome;
    img.remove(); // the probe is not part of the page the accessibility checks look at
    return result;
  }, imageUrl);
  if (blocked !== "blocked" || imageRequests.length > 0) throw new Error(`the Content-Security-Policy let an image from another host load (${imageRequests.join("; ")})`);

  step("the thread: markdown, tool results under their calls with summaries, time and running cost per turn");
  await card.getByText("step 2", { exact: true }).waitFor();
  if ((await card.locator("strong", { hasText: "step 2" }).count()) === 0) throw new Error("Claude's markdown is not rendered");
  await card.getByText(/Claude · turn 2 · [\d.]+ s · \$0\.0100 \(total \$0\.0200\)/).waitFor();
  await card.locator("details.tool-call summary").first().click();
  await card.locator("details.tool-call").first().getByText("/repo/src/list.txt:1: query(line 1)").waitFor();
  await card.getByLabel("Search the thread").fill("step 3");
  await card.getByText(/^1 of \d+ entries match$/).waitFor();
  await card.getByLabel("Search the thread").fill("");
  await page.screenshot({ path: join(shots, "thread.png"), fullPage: true });
  await card.getByRole("button", { name: "Hide thread" }).click();

  step("the diff: file list with +/−, hunk headers between hunks, rename and binary labelled, syntax highlighted");
  await card.getByRole("button", { name: "View diff" }).click();
  const files = card.getByRole("navigation", { name: "changed files" });
  await files.getByText("src/main.txt").waitFor();
  await files.getByText("renamed from src/app.txt, content unchanged").waitFor();
  await files.getByText("binary file added").waitFor();
  const listEntry = files.locator("li", { hasText: "src/list.txt" });
  if ((await listEntry.textContent()).replace(/\s+/g, " ").indexOf("+2 −2") < 0) throw new Error(`list.txt counts: ${await listEntry.textContent()}`);
  const hunkHeaders = await card.locator(".hunk-header").allTextContents();
  if (!hunkHeaders.some((h) => /^@@ -1,\d+ \+1,\d+ @@/.test(h)) || !hunkHeaders.some((h) => /^@@ -5\d,\d+ \+5\d,\d+ @@/.test(h))) throw new Error(`hunk headers: ${hunkHeaders.join(" | ")}`);
  await card.locator(".diff .token").first().waitFor();
  await assertAccessible(page, "job with diff");
  await page.screenshot({ path: join(shots, "diff.png"), fullPage: true });
  await page.setViewportSize({ width: 1600, height: 900 });
  await card.locator("table.diff-split").first().waitFor();
  await page.screenshot({ path: join(shots, "diff-wide.png"), fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });

  step("the results table: filters and sort");
  const table = page.locator("table.results-table");
  await page.getByRole("radio", { name: "Failed (1)" }).check();
  await table.locator("tbody tr").first().getByText("acme/cli").waitFor();
  if ((await table.locator("tbody tr").count()) !== 1) throw new Error("the failed filter shows more than the failed run");
  await page.getByRole("radio", { name: "Changed (2)" }).check();
  await page.getByRole("button", { name: "Repository" }).click();
  await page.getByRole("button", { name: "Repository" }).click();
  const order = await table.locator("tbody th").allTextContents();
  if (order.join() !== "acme/web,acme/api") throw new Error(`sorted descending: ${order}`);
  await page.getByRole("radio", { name: "All (3)" }).check();

  step("downloads and exports: one patch, all patches, results as JSON and CSV");
  const save = async (button) => {
    const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
    const saved = join(download, file.suggestedFilename());
    await file.saveAs(saved);
    return { name: file.suggestedFilename(), text: readFileSync(saved, "latin1") };
  };
  const one = await save(card.getByRole("button", { name: "Download patch" }));
  if (one.name !== "acme-web.patch" || !one.text.includes("+changed by acme/web")) throw new Error(`the patch download: ${one.name}`);
  const all = await save(page.getByRole("button", { name: "Download all patches" }));
  if (all.name !== `codybatch-${firstId}-patches.zip` || !all.text.startsWith("PK") || !all.text.includes("acme-api.patch")) throw new Error(`the archive: ${all.name}`);
  const csv = await save(page.getByRole("button", { name: "Export CSV" }));
  if (!csv.text.startsWith("repository,status,") || !csv.text.includes("acme/cli,failed,")) throw new Error(`the CSV: ${csv.text.slice(0, 200)}`);
  const json = await save(page.getByRole("button", { name: "Export JSON" }));
  if (JSON.parse(json.text).length !== 3) throw new Error("the JSON export does not hold three rows");

  step("errors in place: a failed download and a refused retry say why");
  rmSync(join(data, "artifacts", "jobs", firstId, "acme", "api", "patch.diff"));
  await page.getByRole("article", { name: "acme/api" }).getByRole("button", { name: "Download patch" }).click();
  await page.getByRole("article", { name: "acme/api" }).getByText(/^Download patch failed: The patch of acme\/api is recorded but its file is missing/).waitFor();
  await apiPost(`/api/jobs/${firstId}/repositories/acme/cli/retry`);
  await page.getByRole("article", { name: "acme/cli" }).getByRole("button", { name: "Retry" }).click();
  await page.getByRole("article", { name: "acme/cli" }).getByText(/^Retry failed: The run for acme\/cli is \w+; only failed or cancelled runs can be retried\.$/).waitFor();
  await page.screenshot({ path: join(shots, "errors.png"), fullPage: true });
  await waitForJob(firstId, ended);

  step("retry all failed, and the list's failed filter finds jobs with any failed run");
  const second = await createJob(["acme/docs", "acme/lib"], "Second");
  await waitForJob(second.id, ended);
  await page.goto(`${base}/?status=failed`);
  await page.getByText("Second").waitFor();
  if ((await page.locator(".job-row").count()) !== 1) throw new Error("the failed filter lists a job without a failed run");
  await page.locator(".job-row", { hasText: "Second" }).getByText("completed with failures").waitFor();
  await page.locator(".job-row", { hasText: "Second" }).getByText("1 succeeded (1 changed) · 1 failed").waitFor();
  await page.getByText("Second").click();
  await page.getByRole("button", { name: "Retry all failed (1)" }).click();
  await page.getByText("2 succeeded (2 changed)", { exact: true }).waitFor({ timeout: 30000 });
  await page.locator(".toolbar .badge", { hasText: /^completed$/ }).waitFor();

  step("cancel asks first; one run can be cancelled while the other goes on");
  const third = await createJob(["acme/six", "acme/docs"], "Third");
  await page.goto(`${base}/jobs/${third.id}`);
  const six = page.getByRole("article", { name: "acme/six" });
  await six.getByRole("button", { name: "Cancel run" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Keep going" }).click();
  await page.waitForTimeout(300);
  if ((await apiGet(`/api/jobs/${third.id}`)).repositories[0].cancelRequested) throw new Error("keeping going cancelled the run");
  await six.getByRole("button", { name: "Cancel run" }).click();
  await assertAccessible(page, "cancel dialog");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel run" }).click();
  await six.getByText("cancelled", { exact: true }).waitFor();
  await page.getByRole("article", { name: "acme/docs" }).getByText("succeeded", { exact: true }).waitFor({ timeout: 30000 });
  const fourth = await createJob(["acme/api"], "Fourth");
  await page.goto(`${base}/jobs/${fourth.id}`);
  await page.getByRole("button", { name: "Cancel job" }).click();
  await page.getByRole("dialog").getByText(/Cancel every run that has not finished\?/).waitFor();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel job" }).click();
  await page.locator(".toolbar .badge", { hasText: /^cancelled$/ }).waitFor({ timeout: 15000 });

  step("a long thread is virtualized: a 60-turn run builds only what is on screen, and jump to turn works");
  const long = await createJob(["acme/long"], "Long");
  await waitForJob(long.id, ended);
  await page.goto(`${base}/jobs/${long.id}`);
  const longCard = page.getByRole("article", { name: "acme/long" });
  await longCard.getByRole("button", { name: "View thread" }).click();
  await longCard.getByText(/^\d+ entries$/).waitFor();
  const built = await longCard.locator(".thread li.entry").count();
  const height = await longCard.locator(".thread").evaluate((e) => e.getBoundingClientRect().height);
  if (built > 40 || height > 2000) throw new Error(`the long thread built ${built} entries, ${height}px high`);
  await longCard.getByLabel("Jump to turn").selectOption("50");
  await longCard.getByText(/^Claude · turn 50 ·/).waitFor();
  await assertAccessible(page, "job with a long thread");
  console.log(`e2e: long thread: ${built} entries built, ${Math.round(height)} px`);

  step("when the events stream breaks, the job page falls back to polling and still follows the run");
  breakingEvents = true;
  await page.route("**/api/jobs/*/events", (route) => route.abort());
  const polled = await createJob(["acme/docs"], "Polled");
  await page.goto(`${base}/jobs/${polled.id}`);
  await page.getByText("updating every second").waitFor();
  await page.getByRole("article", { name: "acme/docs" }).locator(".activity", { hasText: /turn \d+ · search_code/ }).waitFor();
  await page.getByRole("article", { name: "acme/docs" }).getByText("succeeded", { exact: true }).waitFor({ timeout: 30000 });
  await page.unroute("**/api/jobs/*/events");
  breakingEvents = false;

  step("a job page whose runs show their checks: one named region per run, no axe violation");
  const checked = await apiPost("/api/jobs", { prompt: "Append a line to the README", repositories: ["acme/api", "acme/web"], title: "Checked", checks: ["test -f README.md"] });
  await waitForJob(checked.id, ended);
  await page.goto(`${base}/jobs/${checked.id}`);
  for (const name of ["acme/api", "acme/web"]) await page.getByRole("region", { name: `checks of ${name}` }).getByText("test -f README.md").waitFor();
  await assertAccessible(page, "job with checks");
  await page.screenshot({ path: join(shots, "job-checks.png"), fullPage: true });

  step("the list shows each job's title, else the meaningful part of its prompt, with the whole text on hover");
  const wordy = "Replace the deprecated request library with the built-in fetch in every service, keeping the retry behaviour and the timeouts as they are.";
  const untitled = await apiPost("/api/jobs", { prompt: `<task>\n${wordy}\n</task>`, repositories: ["acme/docs"] });
  await waitForJob(untitled.id, ended);
  await page.goto(base);
  const untitledRow = page.locator(".job-row", { has: page.locator(`[title*="${wordy.slice(0, 40)}"]`) });
  const shown = (await untitledRow.locator(".job-title").innerText()).replace(/\s+/g, " ");
  if (!shown.startsWith("Replace the deprecated request library with the built-in fetch")) throw new Error(`the untitled job's row shows "${shown}"`);
  const titleWidth = await untitledRow.locator(".job-title").evaluate((e) => e.getBoundingClientRect().width);
  if (titleWidth < 400) throw new Error(`the title column is ${Math.round(titleWidth)} px wide at 1280 px`);
  const titled = page.locator(".job-row", { hasText: "Checked" }).locator(".job-title");
  if (!(await titled.getAttribute("title")).startsWith("Checked\n\nAppend a line to the README")) throw new Error("the titled job's tooltip lacks its prompt");
  await titled.locator("strong", { hasText: "Checked" }).waitFor();
  await untitledRow.hover();
  const hovered = await untitledRow.locator(".job-title").evaluate((e) => e.scrollHeight <= e.clientHeight + 1 && e.innerText.includes("timeouts as they are."));
  if (!hovered) throw new Error("hovering the row does not show the whole prompt");
  await untitledRow.focus();
  console.log(`e2e: the list's title column is ${Math.round(titleWidth)} px wide`);

  step("the jobs list: counts per row, search by repository name; on a phone too");
  await page.goto(`${base}/?q=acme%2Fsix`);
  await page.locator(".job-row", { hasText: "Third" }).waitFor();
  if ((await page.locator(".job-row").count()) !== 1) throw new Error("searching acme/six finds other jobs");
  await page.goto(base);
  await page.locator(".job-row", { hasText: "Third" }).getByText("1 succeeded (1 changed) · 1 cancelled").waitFor();
  await assertAccessible(page, "jobs");
  await page.screenshot({ path: join(shots, "jobs.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, "jobs-phone.png"), fullPage: true });
  await page.goto(`${base}/jobs/${firstId}`);
  await page.getByRole("heading", { name: "Job", exact: true }).waitFor();
  await assertAccessible(page, "job on a phone");
  await page.screenshot({ path: join(shots, "job-phone.png"), fullPage: true });
  await page.goto(`${base}/no-such-page`);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await assertAccessible(page, "not found");

  step("first load on a throttled connection (1.6 Mbps, 4× slower CPU), signed in, cold cache");
  const scriptBytes = firstPageScriptBytes(dist);
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await fresh.addInitScript((key) => sessionStorage.setItem("codybatch.apiKey", key), apiKey);
  const cold = await fresh.newPage();
  const cdp = await fresh.newCDPSession(cold);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const started = Date.now();
  await cold.goto(base);
  await cold.locator(".job-row").first().waitFor({ timeout: 30000 });
  const loaded = Date.now() - started;
  const timing = await cold.evaluate(() => {
    const [nav] = performance.getEntriesByType("navigation");
    const scripts = performance.getEntriesByType("resource").filter((r) => r.name.endsWith(".js"));
    return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), transferred: scripts.reduce((n, r) => n + r.transferSize, 0), count: scripts.length };
  });
  console.log(`e2e: first load (1.6 Mbps, 150 ms latency, 4× CPU): jobs listed after ${loaded} ms (goal 2000 ms); DOMContentLoaded ${timing.domContentLoaded} ms; ${timing.count} scripts, ${(timing.transferred / 1024).toFixed(1)} KB over the wire; first page JavaScript ${(scriptBytes / 1024).toFixed(1)} KB gzipped (limit 120 KB)`);
  if (scriptBytes > 120 * 1024) throw new Error(`the first page's JavaScript is ${(scriptBytes / 1024).toFixed(1)} KB gzipped, over 120 KB`);
  await fresh.close();

  if (problems.length > 0) throw new Error(problems.join("\n"));
  console.log(`e2e: passed; screenshots in ${shots}`);
} catch (error) {
  console.error(`e2e: FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server?.stop();
  imageServer.close();
  rmSync(download, { recursive: true, force: true });
}
