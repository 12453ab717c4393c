import { tokenize, type HunkData, type HunkTokens } from "react-diff-view";
import { refractor } from "refractor";
import docker from "refractor/docker";
import toml from "refractor/toml";

// The common set, plus files every repository tends to have.
refractor.register(docker);
refractor.register(toml);

const languages: Record<string, string> = {
  ts: "typescript", tsx: "tsx", js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "jsx", json: "json",
  cs: "csharp", py: "python", go: "go", rs: "rust", java: "java", kt: "kotlin", rb: "ruby", php: "php",
  c: "c", h: "c", cpp: "cpp", cc: "cpp", hpp: "cpp", sh: "bash", bash: "bash", yml: "yaml", yaml: "yaml",
  toml: "toml", css: "css", scss: "scss", html: "markup", xml: "markup", csproj: "markup", props: "markup",
  md: "markdown", sql: "sql", swift: "swift", dockerfile: "docker",
};

/** The Prism language of a path, or undefined when none is known. */
export function languageOf(path: string): string | undefined {
  const name = path.split("/").pop()!.toLowerCase();
  const language = name === "dockerfile" ? "docker" : languages[name.includes(".") ? name.split(".").pop()! : ""];
  return language && refractor.registered(language) ? language : undefined;
}

// react-diff-view calls highlight() the way refractor 3 answered (a list of nodes); refractor 5 answers a root.
const adapter = { highlight: (text: string, language: string) => refractor.highlight(text, language).children };

/** Syntax tokens for a file's hunks, or undefined when its language is unknown or it is too big to be worth it. */
export function highlight(hunks: HunkData[], path: string): HunkTokens | undefined {
  const language = languageOf(path);
  if (!language || hunks.reduce((n, h) => n + h.changes.length, 0) > 3000) return undefined;
  try {
    return tokenize(hunks, { highlight: true, refractor: adapter as never, language });
  } catch {
    return undefined;
  }
}
