import { render, screen } from "@testing-library/react";
import { StatusBadge } from "./StatusBadge";

describe("StatusBadge", () => {
  it.each([
    ["succeeded", "badge-good"],
    ["completed", "badge-good"],
    ["failed", "badge-bad"],
    ["analyzing", "badge-active"],
    ["queued", "badge-neutral"],
    ["cancelled", "badge-muted"],
    ["incomplete", "badge-warn"],
  ] as const)("shows %s with its tone", (status, className) => {
    render(<StatusBadge status={status} />);
    const badge = screen.getByRole("status", { name: `status ${status}` });
    expect(badge.textContent).toBe(status);
    expect(badge.className).toContain(className);
  });
});
