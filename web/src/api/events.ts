import { apiKey } from "./client";

export type ServerEvent = { event: string; data: unknown };

/**
 * Reads a server-sent event stream with fetch (EventSource cannot send the API key) and calls
 * onEvent for each event. Resolves when the server closes the stream; rejects when it breaks.
 */
export async function readEvents(path: string, onEvent: (event: ServerEvent) => void, signal: AbortSignal) {
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
      if (data.length > 0) onEvent({ event, data: JSON.parse(data.join("\n")) });
    }
  }
}
