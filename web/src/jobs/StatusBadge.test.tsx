import { render, screen } from "@testing-library/react";
import { JobStatusBadge, StatusBadge } from "./StatusBadge";

const outcomes = { queued: 0, running: 0, succeeded: 1, failed: 0, cancelled: 0, changed: 1, noChangeNeeded: 0, incomplete: 0 };

describe("StatusBadge", () => {
  it.each([
    ["succeeded", "badge-good"],
    ["completed", "badge-good"],
    ["failed", "badge-bad"],
    ["analyzing", "badge-active"],
    ["queued", "badge-neutral"],
    ["cancelled", "badge-muted"],
    ["incomplete", "badge-warn"],
  ] as const)("shows %s as its text with its tone", (status, className) => {
    render(<StatusBadge status={status} />);
    const badge = screen.getByText(status);
    expect(badge.className).toContain(className);
    expect(badge.getAttribute("role")).toBeNull();
  });

  it("says when a completed job has incomplete runs", () => {
    render(<JobStatusBadge job={{ status: "completed", outcomes: { ...outcomes, incomplete: 1 } }} />);
    expect(screen.getByText("completed, some incomplete").className).toContain("badge-warn");
  });

  it("says when a completed job has failed runs", () => {
    render(<JobStatusBadge job={{ status: "completed", outcomes: { ...outcomes, failed: 1 } }} />);
    expect(screen.getByText("completed with failures").className).toContain("badge-warn");
  });

  it("shows a clean completion as completed", () => {
    render(<JobStatusBadge job={{ status: "completed", outcomes }} />);
    expect(screen.getByText("completed")).toBeTruthy();
  });
});
