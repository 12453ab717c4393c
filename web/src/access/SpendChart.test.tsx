import { render, screen } from "@testing-library/react";
import { SpendChart, spendDays, spendSeries } from "./SpendChart";

const report = {
  from: "2026-12-01T00:00:00+00:00",
  to: "2026-12-04T00:00:00+00:00",
  totalUsd: 3.5,
  serverMonthlyCapUsd: null,
  byAuthor: [{ name: "alice", costUsd: 1, jobs: 1 }, { name: "bob", costUsd: 2.5, jobs: 2 }],
  byCampaign: [],
  byDay: [{ name: "2026-12-01", costUsd: 1.5, jobs: 2 }, { name: "2026-12-03", costUsd: 2, jobs: 1 }],
  byAuthorAndDay: [
    { author: "alice", day: "2026-12-01", costUsd: 1 },
    { author: "bob", day: "2026-12-01", costUsd: 0.5 },
    { author: "bob", day: "2026-12-03", costUsd: 2 },
  ],
};

describe("SpendChart", () => {
  it("has a slot for every day of the range, spend or not", () => {
    expect(spendDays(report)).toEqual(["2026-12-01", "2026-12-02", "2026-12-03"]);
  });

  it("colours the costliest authors and sums the rest as others", () => {
    const many = { byAuthor: Array.from({ length: 10 }, (_, i) => ({ name: `k${i}`, costUsd: i, jobs: 1 })) };
    const series = spendSeries(many);
    expect(series).toHaveLength(8);
    expect(series[0]).toBe("k9");
    expect(series[7]).toBe("others");
  });

  it("stacks each day's bars by author, heights in proportion to cost", () => {
    const { container } = render(<SpendChart report={report} />);
    const bars = [...container.querySelectorAll("rect")];
    expect(bars.map((b) => `${b.closest("g")?.getAttribute("data-day")} ${b.getAttribute("data-author")}`)).toEqual(["2026-12-01 bob", "2026-12-01 alice", "2026-12-03 bob"]);
    const height = (i: number) => Number(bars[i].getAttribute("height"));
    expect(height(2)).toBeCloseTo(height(0) * 4, 5);
    expect(screen.getByRole("img").getAttribute("aria-label")).toContain("$3.50 in all, most on 2026-12-03 ($2.00)");
  });
});
