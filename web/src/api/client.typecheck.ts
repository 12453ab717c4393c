// Compile-time proof that the web client is tied to the OpenAPI document: every line marked @ts-expect-error must
// be a type error, or `tsc --noEmit` (the first step of `npm run build`) fails. Never imported, never run.
import { api, ok, type Job, type JobEvents } from "./client";
import type { ServerEvent } from "./events";

export async function typedClientChecks() {
  // @ts-expect-error a path the API does not have
  await api.GET("/api/job/{id}", { params: { path: { id: "j" } } });
  // @ts-expect-error a path parameter left out
  await api.GET("/api/jobs/{id}", { params: { path: {} } });
  // @ts-expect-error a method the path does not take
  await api.DELETE("/api/jobs/{id}", { params: { path: { id: "j" } } });
  // @ts-expect-error a body of the wrong shape (repositories is a list)
  await api.POST("/api/jobs", { body: { prompt: "p", repositories: "acme/api" } });
  // @ts-expect-error a query parameter the route does not read
  await api.GET("/api/jobs", { params: { query: { page: 2 } } });
  // @ts-expect-error the list's answer used as a job
  const notAJob: Job = await ok(api.GET("/api/jobs"));
  // @ts-expect-error a thread's entries are not strings
  const notText: string[] = (await ok(api.GET("/api/jobs/{id}/repositories/{owner}/{name}/thread", { params: { path: { id: "j", owner: "o", name: "n" } } }))).entries;
  // @ts-expect-error an event the stream does not send
  const notAnEvent: ServerEvent = { event: "progress", data: {} };
  // @ts-expect-error a thread event's data is not a job
  const notThread: JobEvents["thread"] = {} as Job;
  const job: Job = await ok(api.GET("/api/jobs/{id}", { params: { path: { id: "j" } } }));
  return [notAJob, notText, notAnEvent, notThread, job];
}
