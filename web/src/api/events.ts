import { apiKey, type JobEvents } from "./client";
import type { paths } from "./schema";

// The stream is read with fetch (openapi-fetch parses whole bodies); its route is still checked against the document.
const eventsRoute: keyof paths = "/api/jobs/{id}/events";

/** One event of the job's stream: its name and its data, typed by the OpenAPI document's JobEventStream. */
export type ServerEvent = { [Name in keyof JobEvents]: { event: Name; data: JobEvents[Name] } }[keyof JobEvents];

const known = new Set<string>(["job", "stage", "activity", "usage", "thread", "end"] satisfies (keyof JobEvents)[]);

/**
 * Reads a job's server-sent event stream with fetch (EventSource cannot send the API key) and calls
 * onEvent for each event. Resolves when the server closes the stream; rejects when it breaks.
 */
export async function readEvents(jobId: string, onEvent: (event: ServerEvent) => void, signal: AbortSignal) {
  const path = eventsRoute.replace("{id}", encodeURIComponent(jobId));
  const headers = new Headers({ Accept: "text/event-stream" });
  const key = apiKey.get();
  if (key) headers.set("Authorization", `Bearer ${key}`);
  const response = await fetch(path, { headers, signal });
  if (!response.ok || !response.body) throw new Error(`the event stream answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      // Events this page does not know (a newer server's) are skipped.
      if (data.length > 0 && known.has(event)) onEvent({ event, data: JSON.parse(data.join("\n")) } as ServerEvent);
    }
  }
}
