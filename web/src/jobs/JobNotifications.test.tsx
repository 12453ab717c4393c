import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { JobNotifications } from "./JobNotifications";
import { inZone } from "../schedules/types";

const log = [
  { jobId: "j1", deliveryId: "d1", event: "job.ended", target: "webhook", attempt: 1, attemptedAt: "2026-11-02T10:00:00Z", statusCode: 503, succeeded: false, error: "The receiver answered 503 Service Unavailable.", nextAttemptAt: "2026-11-02T10:00:05Z" },
  { jobId: "j1", deliveryId: "d1", event: "job.ended", target: "webhook", attempt: 2, attemptedAt: "2026-11-02T10:00:05Z", statusCode: 204, succeeded: true, error: null, nextAttemptAt: null },
];

describe("JobNotifications", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows every delivery attempt of a finished job with its answer", async () => {
    const fetch = vi.fn(async (_: Request) => new Response(JSON.stringify(log), { headers: { "Content-Type": "application/json" } }));
    vi.stubGlobal("fetch", fetch);
    render(<QueryClientProvider client={new QueryClient()}><JobNotifications jobId="j1" finished /></QueryClientProvider>);

    expect(await screen.findByText(/The receiver answered 503/)).toBeTruthy();
    expect(screen.getByText("delivered (204)")).toBeTruthy();
    expect(screen.getAllByRole("row")).toHaveLength(3);
    // Through the typed client: one GET of the job's notifications.
    const [request] = fetch.mock.calls[0];
    expect([request.method, new URL(request.url).pathname]).toEqual(["GET", "/api/jobs/j1/notifications"]);
  });

  it("asks nothing while the job runs", () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    render(<QueryClientProvider client={new QueryClient()}><JobNotifications jobId="j1" finished={false} /></QueryClientProvider>);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("shows a firing in the schedule's own time zone", () => {
    expect(inZone("2026-03-29T07:00:00Z", "Europe/Berlin")).toMatch(/9:00/);
  });
});
