import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describeEnvironment, fromEnvironmentFields, toEnvironmentFields } from "../jobs/EnvironmentChoice";
import { PromptsPage } from "../prompts/PromptsPage";
import { ScheduleForm } from "./SchedulesPage";
import type { Schedule } from "./types";

const admin = { name: "Ada", role: "admin", keyId: "key-1", canOperate: true, canAdminister: true };
const offline = {
  id: "prompt-01kbprompt00000000000000a", name: "Offline", description: "", prompt: "Fix the docs.", mode: "pullRequest", checks: [], model: null,
  shell: false, network: "none", createdAt: "2026-12-05T08:00:00Z", updatedAt: "2026-12-05T08:00:00Z", author: "Ada",
};

/** Renders with the caller and the saved prompts known; every request the form sends is recorded with its JSON body. */
function renderWith(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(["me"], admin);
  client.setQueryData(["prompts"], [offline]);
  const sent: { method: string; path: string; ifMatch: string | null; body: Record<string, unknown> }[] = [];
  vi.stubGlobal("fetch", vi.fn(async (request: Request) => {
    sent.push({ method: request.method, path: new URL(request.url).pathname, ifMatch: request.headers.get("If-Match"), body: request.method === "GET" ? {} : await request.clone().json() });
    const answer = request.method === "GET" ? [offline] : offline;
    return new Response(JSON.stringify(answer), { status: request.method === "POST" ? 201 : 200, headers: { "Content-Type": "application/json" } });
  }));
  render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
  return sent;
}

describe("shell and network on saved prompts and schedules", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends only what narrows the default, and reads a stored choice back", () => {
    expect(toEnvironmentFields({ shell: "", network: "" })).toEqual({});
    expect(toEnvironmentFields({ shell: "off", network: "none" })).toEqual({ shell: false, network: "none" });
    expect(fromEnvironmentFields({ shell: false, network: "registries" })).toEqual({ shell: "off", network: "registries" });
    expect(fromEnvironmentFields({ shell: null, network: null })).toEqual({ shell: "", network: "" });
    expect(describeEnvironment({ shell: false, network: "none" })).toBe("no shell · network: none");
    expect(describeEnvironment({ shell: null, network: null })).toBe("");
  });

  it("a new saved prompt carries no shell and no network when chosen", async () => {
    const sent = renderWith(<PromptsPage />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Offline 2" } });
    fireEvent.change(screen.getByLabelText("Prompt"), { target: { value: "Fix the docs." } });
    fireEvent.change(screen.getByLabelText("Claude's shell"), { target: { value: "off" } });
    fireEvent.change(screen.getByLabelText("Network for setup and the shell"), { target: { value: "none" } });
    fireEvent.click(screen.getByRole("button", { name: "Save prompt" }));

    await waitFor(() => expect(sent.some((r) => r.method === "POST")).toBe(true));
    expect(sent.find((r) => r.method === "POST")).toMatchObject({ path: "/api/prompts", body: { name: "Offline 2", shell: false, network: "none" } });
  });

  it("editing a saved prompt shows its choice, and the list says it", async () => {
    const sent = renderWith(<PromptsPage />);
    expect(screen.getByText("no shell · network: none")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Edit" }));
    expect((screen.getByLabelText("Claude's shell") as HTMLSelectElement).value).toBe("off");
    fireEvent.change(screen.getByLabelText("Claude's shell"), { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(sent.some((r) => r.method === "PUT")).toBe(true));
    const put = sent.find((r) => r.method === "PUT")!;
    expect(put.body).toMatchObject({ network: "none" });
    expect(put.body).not.toHaveProperty("shell");
  });

  it("a schedule on a saved prompt says an empty choice follows it, and sends the network chosen", async () => {
    const sent = renderWith(<ScheduleForm />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Nightly" } });
    fireEvent.change(screen.getByLabelText("Saved prompt"), { target: { value: offline.id } });
    expect(screen.getAllByRole("option", { name: "the saved prompt's (else the server's)" })).toHaveLength(2);
    fireEvent.change(screen.getByLabelText("Repositories (owner/name, 1–5)"), { target: { value: "octo/app" } });
    fireEvent.change(screen.getByLabelText("Network for setup and the shell"), { target: { value: "registries" } });
    fireEvent.click(screen.getByRole("button", { name: "Create schedule" }));

    await waitFor(() => expect(sent.some((r) => r.method === "POST")).toBe(true));
    const post = sent.find((r) => r.method === "POST")!;
    expect(post).toMatchObject({ path: "/api/schedules", body: { savedPromptId: offline.id, network: "registries", repositories: ["octo/app"] } });
    expect(post.body).not.toHaveProperty("shell");
  });

  it("editing a schedule shows its choices and replaces it, keeping the checks and model the form does not show", async () => {
    const stored = {
      id: "schedule-01kbschedule0000000000000a", name: "Nightly", prompt: "Fix the docs.", savedPromptId: null, repositories: ["octo/app", "octo/lib"], mode: "patch",
      checks: ["make docs"], model: "claude-custom", budgetUsd: 2, shell: false, network: "none", cron: "0 6 * * *", timeZone: "UTC", enabled: false,
      campaignId: null, lastJobId: null, nextFirings: [], firings: [], createdAt: "2026-12-05T08:00:00Z", updatedAt: "2026-12-05T08:00:00Z", author: "Ada",
    } as const;
    const sent = renderWith(<ScheduleForm editing={stored as unknown as Schedule} />);
    expect(screen.getByRole("form", { name: "Edit schedule" })).toBeTruthy();
    expect((screen.getByLabelText("Claude's shell") as HTMLSelectElement).value).toBe("off");
    expect((screen.getByLabelText("Network for setup and the shell") as HTMLSelectElement).value).toBe("none");
    fireEvent.change(screen.getByLabelText("Network for setup and the shell"), { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(sent.some((r) => r.method === "PUT")).toBe(true));
    const put = sent.find((r) => r.method === "PUT")!;
    expect(put).toMatchObject({
      path: `/api/schedules/${stored.id}`,
      body: { name: "Nightly", prompt: "Fix the docs.", repositories: ["octo/app", "octo/lib"], mode: "patch", checks: ["make docs"], model: "claude-custom", budgetUsd: 2, shell: false },
    });
    expect(put.body).not.toHaveProperty("network");
    expect(put.body).not.toHaveProperty("enabled");
  });

  it("editing a schedule whose shell is on keeps it on (a saved prompt's no-shell does not take over) and names the revision it edits", async () => {
    const stored = {
      id: "schedule-01kbschedule0000000000000b", name: "Lint", prompt: null, savedPromptId: offline.id, repositories: ["octo/app"], mode: null,
      checks: [], model: null, budgetUsd: null, shell: true, network: null, cron: "0 6 * * *", timeZone: "UTC", enabled: true,
      campaignId: null, lastJobId: null, nextFirings: [], firings: [], createdAt: "2026-12-05T08:00:00Z", updatedAt: "2026-12-05T08:00:00Z", author: "Ada", revision: 4,
    } as const;
    const sent = renderWith(<ScheduleForm editing={stored as unknown as Schedule} />);
    expect((screen.getByLabelText("Claude's shell") as HTMLSelectElement).value).toBe("on");
    fireEvent.change(screen.getByLabelText("Cron"), { target: { value: "0 7 * * *" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(sent.some((r) => r.method === "PUT")).toBe(true));
    const put = sent.find((r) => r.method === "PUT")!;
    expect(put).toMatchObject({ path: `/api/schedules/${stored.id}`, ifMatch: '"4"', body: { savedPromptId: offline.id, cron: "0 7 * * *", shell: true } });
    expect(put.body).not.toHaveProperty("network");
    expect(describeEnvironment(stored)).toBe("shell");
  });
});
