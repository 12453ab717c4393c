// Helpers of the end-to-end run: accessibility (axe-core in the page), contrast of focus rings and
// borders, and the size of the first page's JavaScript.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core on the page against WCAG 2.2 A/AA; throws with every violation when there is one. */
export async function assertAccessible(page, name) {
  // Evaluated through the debugging protocol: the page's Content-Security-Policy refuses inline scripts.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
  });
  if (violations.length > 0) throw new Error(`axe found ${violations.length} violation(s) on ${name}:\n${violations.join("\n")}`);
  console.log(`e2e: axe: ${name}: no violations`);
}

/** Contrast ratio of two CSS colours (rgb()/rgba() as computed). */
export function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The gzipped size of the scripts index.html loads up front (entry and module preloads). */
export function firstPageScriptBytes(dist) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  return scripts.reduce((sum, path) => sum + gzipSync(readFileSync(join(dist, path.slice(1)))).length, 0);
}

// Removes a server's data folder after the server was killed: a checks tree it left on its size-limited tmpfs
// (the server detaches those at its next start) is detached first, or the folder cannot be removed.
export function removeDataFolder(folder) {
  const mounts = readFileSync("/proc/self/mounts", "utf8").split("\n").map((line) => line.split(" ")[1]).filter(Boolean);
  for (const mount of mounts.filter((m) => m.startsWith(`${folder}/`)).reverse()) {
    try {
      execFileSync("umount", ["-l", mount], { stdio: "ignore" });
    } catch {
      // Gone already, or not ours to detach; the removal below says so if it matters.
    }
  }
  rmSync(folder, { recursive: true, force: true });
}
