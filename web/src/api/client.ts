import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

type Schemas = components["schemas"];
export type Job = Schemas["JobResponse"];
export type Run = Schemas["RunResponse"];
export type JobList = Schemas["JobListResponse"];
export type JobStatus = Schemas["JobStatus"];
export type RunStatus = Schemas["RunStatus"];
export type Verification = Schemas["Verification"];
export type VerificationStatus = Schemas["VerificationStatus"];
export type CheckRun = Schemas["CheckRun"];
export type RepositoryPage = Schemas["RepositoryPage"];
export type PromptTemplate = Schemas["PromptTemplate"];
export type AvailableModel = Schemas["AvailableModel"];
export type Outcomes = Schemas["JobOutcomes"];
export type Capabilities = Schemas["CapabilitiesResponse"];
export type DiffStat = Schemas["DiffStat"];
export type Thread = Schemas["ThreadResponse"];
export type ThreadEntry = Schemas["ThreadEntry"];
/** The data of each event of GET /api/jobs/{id}/events, by event name. */
export type JobEvents = Schemas["JobEventStream"];

/** RFC 9457 problem details as the API sends them (per-field errors for validation; a plain problem has none). */
export type Problem = Schemas["HttpValidationProblemDetails"];

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

const authorize: Middleware = {
  async onRequest({ request }) {
    const key = apiKey.get();
    if (key) request.headers.set("Authorization", `Bearer ${key}`);
    if (request.method !== "GET") request.headers.set("x-amz-content-sha256", await sha256Hex(await request.clone().text()));
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && !location.pathname.startsWith("/sign-in")) location.assign(`/sign-in?next=${encodeURIComponent(location.pathname)}`);
    return response;
  },
};

/**
 * The API, typed from its OpenAPI document (`paths` from `npm run gen:api`): a path, a parameter or a body the
 * document does not have, or a use of an answer as another type, does not compile. `fetch` is looked up per call,
 * so tests can stand in for it.
 */
export const api = createClient<paths>({ baseUrl: location.origin, fetch: (request) => globalThis.fetch(request) });
api.use(authorize);

/** The data of a 2xx answer; anything else thrown as an ApiError with the server's problem details. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, (typeof error === "object" && error ? error : {}) as Problem);
  return data as T;
}

/** A run's repository as the path parameters of its routes. */
export const runParams = (jobId: string, repository: string) => {
  const [owner, name] = repository.split("/");
  return { id: jobId, owner, name };
};

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

/** A short sentence for a failed action, for showing in place. */
export const failure = (what: string, error: unknown) => `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
