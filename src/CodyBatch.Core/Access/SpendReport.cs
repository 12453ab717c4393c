namespace CodyBatch.Core.Access;

/// <summary>
/// What jobs cost between <see cref="From"/> and <see cref="To"/>, counted on the UTC day each job was
/// created (the day a cap decided about it): in all, per author (a key's name, <c>schedule X</c>…), per
/// campaign, per day, and per author and day.
/// </summary>
public sealed record SpendReport(
    DateTimeOffset From,
    DateTimeOffset To,
    decimal TotalUsd,
    decimal? ServerMonthlyCapUsd,
    IReadOnlyList<SpendReport.Line> ByAuthor,
    IReadOnlyList<SpendReport.Line> ByCampaign,
    IReadOnlyList<SpendReport.Line> ByDay,
    IReadOnlyList<SpendReport.AuthorDay> ByAuthorAndDay)
{
    /// <summary>One group's cost.</summary>
    /// <param name="Name">The author, campaign id or day (<c>yyyy-MM-dd</c>).</param>
    /// <param name="CostUsd">What its jobs cost.</param>
    /// <param name="Jobs">How many jobs.</param>
    public sealed record Line(string Name, decimal CostUsd, int Jobs);

    /// <summary>One author's cost on one day.</summary>
    public sealed record AuthorDay(string Author, string Day, decimal CostUsd);
}
