import type { components } from "./schema";

export type Job = components["schemas"]["JobResponse"];
export type Run = components["schemas"]["RunResponse"];
export type JobList = components["schemas"]["JobListResponse"];
export type JobStatus = components["schemas"]["JobStatus"];
export type RunStatus = components["schemas"]["RunStatus"];
export type Verification = components["schemas"]["Verification"];
export type VerificationStatus = components["schemas"]["VerificationStatus"];
export type CheckRun = components["schemas"]["CheckRun"];
export type RepositoryPage = components["schemas"]["RepositoryPage"];
export type PromptTemplate = components["schemas"]["PromptTemplate"];
export type AvailableModel = components["schemas"]["AvailableModel"];

/** RFC 9457 problem details as the API sends them, with per-field errors for validation. */
export type Problem = { title?: string; detail?: string; status?: number; errors?: Record<string, string[]> };

const keyName = "codybatch.apiKey";

export const apiKey = {
  get: () => sessionStorage.getItem(keyName),
  set: (key: string) => sessionStorage.setItem(keyName, key),
  clear: () => sessionStorage.removeItem(keyName),
};

/** Thrown for every non-2xx answer; 401 means the key is missing or wrong. */
export class ApiError extends Error {
  constructor(public status: number, public problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

/**
 * On AWS, CloudFront signs requests to the API's function URL, and Lambda accepts a signed body only with its
 * SHA-256 given by the caller (x-amz-content-sha256); elsewhere the header is ignored.
 */
async function sha256Hex(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const headers = new Headers(init?.headers);
  const key = apiKey.get();
  if (key) headers.set("Authorization", `Bearer ${key}`);
  if (init?.body) headers.set("Content-Type", "application/json");
  if (init?.method && init.method !== "GET") headers.set("x-amz-content-sha256", await sha256Hex(typeof init.body === "string" ? init.body : ""));
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    if (response.status === 401 && !location.pathname.startsWith("/sign-in")) {
      location.assign(`/sign-in?next=${encodeURIComponent(location.pathname)}`);
    }
    throw new ApiError(response.status, problem);
  }
  const type = response.headers.get("Content-Type") ?? "";
  return (type.includes("json") ? await response.json() : await response.text()) as T;
}

/** Downloads an artifact with the API key and saves it under the server's file name. */
export async function download(path: string, fallbackName: string) {
  const headers = new Headers();
  const key = apiKey.get();
  if (key) headers.set("Authorization", `Bearer ${key}`);
  const response = await fetch(path, { headers });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  const name = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

export type Outcomes = components["schemas"]["JobOutcomes"];
export type Capabilities = components["schemas"]["CapabilitiesResponse"];
export type DiffStat = components["schemas"]["DiffStat"];

/** The path of one run's routes. */
export const runPath = (jobId: string, repository: string) => `/api/jobs/${jobId}/repositories/${repository}`;

/** A short sentence for a failed action, for showing in place. */
export const failure = (what: string, error: unknown) => `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
