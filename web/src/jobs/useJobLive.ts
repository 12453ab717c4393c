import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, ok, type Job, type JobEvents, type Thread } from "../api/client";
import { readEvents } from "../api/events";
import { finalRun } from "./format";

export type LiveMode = "stream" | "polling" | "idle";

const active = (job?: Job) => !!job && job.repositories.some((r) => !finalRun(r.status));

/**
 * The job, kept current by GET /api/jobs/{id}/events while any run works; when the stream breaks
 * it polls every second and tries the stream again a few seconds later.
 */
export function useJobLive(id: string) {
  const client = useQueryClient();
  const [mode, setMode] = useState<LiveMode>("idle");
  const job = useQuery({
    queryKey: ["job", id],
    queryFn: () => ok(api.GET("/api/jobs/{id}", { params: { path: { id } } })),
    refetchInterval: (query) => (mode !== "stream" && active(query.state.data) ? 1000 : false),
  });
  const working = active(job.data);

  useEffect(() => {
    if (!working) {
      setMode("idle");
      return;
    }
    const stop = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      setMode("stream");
      readEvents(
        id,
        (event) => {
          if (event.event === "job") client.setQueryData(["job", id], event.data);
          if (event.event === "thread") appendThread(client, id, event.data);
        },
        stop.signal,
      ).then(
        () => {
          // The server ends the stream once every run ended; if runs still work, it was cut short.
          if (!stop.signal.aborted && active(client.getQueryData<Job>(["job", id]))) retry = setTimeout(connect, 1000);
          else setMode("idle");
        },
        () => {
          if (stop.signal.aborted) return;
          setMode("polling");
          retry = setTimeout(connect, 5000);
        },
      );
    };
    connect();
    return () => {
      stop.abort();
      clearTimeout(retry);
    };
  }, [id, working, client]);

  return { job, mode };
}


// New entries go onto a thread already loaded in the cache; a gap means it is read again.
function appendThread(client: ReturnType<typeof useQueryClient>, id: string, event: JobEvents["thread"]) {
  const key = ["thread", id, event.repository, event.attempts];
  const thread = client.getQueryData<Thread>(key);
  if (!thread) return;
  const from = Number(event.from);
  if (from > thread.entries.length) {
    void client.invalidateQueries({ queryKey: key });
    return;
  }
  client.setQueryData<Thread>(key, { ...thread, entries: [...thread.entries.slice(0, from), ...event.entries] });
}
