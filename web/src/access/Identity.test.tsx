import { render, screen } from "@testing-library/react";
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import { SiteNav, type Me } from "./Identity";

async function renderNav(me: Me | undefined) {
  const root = createRootRoute({ component: () => <SiteNav me={me} /> });
  const router = createRouter({ routeTree: root, history: createMemoryHistory({ initialEntries: ["/"] }) });
  render(<RouterProvider router={router} />);
  await screen.findByRole("navigation", { name: "main" });
}

describe("SiteNav", () => {
  it("names the caller and their role", async () => {
    await renderNav({ name: "Alice Example", role: "operator", keyId: "key-1", canOperate: true, canAdminister: false });
    expect(screen.getByLabelText("signed in as").textContent).toBe("Alice Example operator");
    expect(screen.getByRole("link", { name: "New job" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Saved prompts" })).toBeTruthy();
  });

  it("leaves out what a viewer cannot do", async () => {
    await renderNav({ name: "Victor", role: "viewer", keyId: "key-2", canOperate: false, canAdminister: false });
    expect(screen.queryByRole("link", { name: "New job" })).toBeNull();
    expect(screen.getByRole("link", { name: "Jobs" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Spend" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Audit log" })).toBeNull();
  });

  it("links the audit log for an admin only", async () => {
    await renderNav({ name: "Ada", role: "admin", keyId: "key-3", canOperate: true, canAdminister: true });
    expect(screen.getByRole("link", { name: "Audit log" })).toBeTruthy();
  });

  it("offers nothing that changes state until the role is known", async () => {
    await renderNav(undefined);
    expect(screen.queryByRole("link", { name: "New job" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Audit log" })).toBeNull();
  });
});
