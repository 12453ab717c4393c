// Starting the real host for an end-to-end run: tests/CodyBatch.TestHost (the product with a test repository
// host and a scripted agent) on a free port, serving the built UI; and headless Chromium.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { removeDataFolder } from "./checks.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const dist = resolve(here, "..", "dist");
export const shots = join(here, "screenshots");
const hostDll = join(resolve(here, "..", ".."), "tests", "CodyBatch.TestHost", "bin", process.env.CONFIGURATION ?? "Release", "net10.0", "CodyBatch.TestHost.dll");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Exits with 2 and a sentence when the build, the test host or Chromium is missing. */
export function requireBuilt(name) {
  for (const [what, path] of [["the built UI (npm run build)", join(dist, "index.html")], ["the test host (dotnet build)", hostDll], ["Chromium", browserPath]]) {
    if (!existsSync(path)) {
      console.error(`e2e (${name}): ${what} is missing at ${path}; run bash scripts/test.sh.`);
      process.exit(2);
    }
  }
}

export const freePort = () => new Promise((done) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address();
    probe.close(() => done(port));
  });
});

/** Starts the host with these settings (after the data folder and web root) and waits until /health answers. */
export async function startHost(settings, env = {}) {
  const base = `http://127.0.0.1:${await freePort()}`;
  const data = mkdtempSync(join(tmpdir(), "codybatch-e2e-"));
  const host = spawn("dotnet", [hostDll, "--urls", base, "--CodyBatch:DataDirectory", data, "--CodyBatch:WebRoot", dist, ...settings], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: "Production", DOTNET_ENVIRONMENT: "Production", ...env },
  });
  let output = "";
  host.stdout.on("data", (d) => (output += d));
  host.stderr.on("data", (d) => (output += d));
  const stop = () => {
    host.kill("SIGKILL");
    removeDataFolder(data);
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300 || host.exitCode !== null) {
      stop();
      throw new Error(`the host did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, data, stop, output: () => output };
}

export const launchBrowser = () => chromium.launch({
  executablePath: browserPath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});

/**
 * A page in a new browser context signed in with `key` (kept in the session as the sign-in page keeps it); its
 * console errors (but the 400s of validation answers) and page errors are added to `problems`.
 */
export async function signedInPage(browser, key, problems) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript((k) => sessionStorage.setItem("codybatch.apiKey", k), key);
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 400/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return { context, page };
}

/** Calls the API with a key; throws with the answer when it is not 2xx. */
export function apiAs(base, key) {
  const call = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  };
  return { get: (path) => call("GET", path), post: (path, body) => call("POST", path, body) };
}

/** Polls a job until `done(job)` holds (the e2e run has no event to await from outside the browser). */
export async function waitForJob(api, id, done) {
  for (let i = 0; i < 600; i++) {
    const job = await api.get(`/api/jobs/${id}`);
    if (done(job)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not get there`);
}

export const ended = (job) => job.repositories.every((r) => ["succeeded", "failed", "cancelled", "incomplete"].includes(r.status));
