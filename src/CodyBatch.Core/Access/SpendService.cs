using System.Globalization;
using CodyBatch.Core.Jobs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Access;

/// <summary>
/// What jobs cost, and the monthly caps: the server's (<see cref="SpendOptions.MonthlyCapUsd"/>) and a
/// named key's own (<see cref="ApiKey.MonthlyCapUsd"/>). A job is refused at creation when a cap it
/// falls under is reached already; spend is read from the jobs themselves, so it always adds up to their runs' costs.
/// </summary>
public sealed class SpendService(IJobStore jobs, IApiKeyStore keys, IOptions<SpendOptions> options, TimeProvider time)
{
    /// <summary>The report for jobs created in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<SpendReport> ReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var list = await JobsBetweenAsync(from, to, cancellationToken);
        static string Day(Job job) => job.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static IReadOnlyList<SpendReport.Line> By(IEnumerable<Job> jobs, Func<Job, string> key) =>
            [.. jobs.GroupBy(key).Select(g => new SpendReport.Line(g.Key, g.Sum(j => j.Usage.CostUsd), g.Count())).OrderBy(l => l.Name, StringComparer.Ordinal)];
        return new SpendReport(
            from,
            to,
            list.Sum(j => j.Usage.CostUsd),
            options.Value.MonthlyCapUsd,
            By(list, j => j.Author ?? "unknown"),
            By(list, j => j.CampaignId ?? j.Id),
            By(list, Day),
            [.. list.GroupBy(j => (Author: j.Author ?? "unknown", Day: Day(j)))
                .Select(g => new SpendReport.AuthorDay(g.Key.Author, g.Key.Day, g.Sum(j => j.Usage.CostUsd)))
                .OrderBy(a => a.Day, StringComparer.Ordinal).ThenBy(a => a.Author, StringComparer.Ordinal)]);
    }

    /// <summary>The first day of the current UTC month, and of the next.</summary>
    public (DateTimeOffset From, DateTimeOffset To) ThisMonth()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var from = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (from, from.AddMonths(1));
    }

    /// <summary>Throws <see cref="SpendCapReachedException"/> when <paramref name="caller"/> may start no more jobs this month.</summary>
    public async Task EnsureUnderCapsAsync(Caller caller, CancellationToken cancellationToken)
    {
        var serverCap = options.Value.MonthlyCapUsd;
        var key = caller.KeyId is { } keyId ? await keys.GetAsync(keyId, cancellationToken) : null;
        if (serverCap is null && key?.MonthlyCapUsd is null)
        {
            return;
        }

        var (from, to) = ThisMonth();
        var month = from.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        var list = await JobsBetweenAsync(from, to, cancellationToken);
        if (serverCap is { } cap && list.Sum(j => j.Usage.CostUsd) is var total && total >= cap)
        {
            throw new SpendCapReachedException(
                $"The server's monthly spend cap of {Usd(cap)} (CodyBatch:Spend:MonthlyCapUsd) is reached: jobs created in {month} cost {Usd(total)}. No job starts until next month or until an admin raises the cap.");
        }

        if (key?.MonthlyCapUsd is { } keyCap && list.Where(j => j.AuthorKeyId == key.Id).Sum(j => j.Usage.CostUsd) is var spent && spent >= keyCap)
        {
            throw new SpendCapReachedException(
                $"The API key {key.Name}'s monthly spend cap of {Usd(keyCap)} is reached: its jobs created in {month} cost {Usd(spent)}. Ask an admin for a higher cap, or wait until next month.");
        }
    }

    private static string Usd(decimal amount) => "$" + amount.ToString("0.00", CultureInfo.InvariantCulture);

    // Newest first through the list, stopping at the first job older than the window (ids sort by creation time).
    private async Task<List<Job>> JobsBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var found = new List<Job>();
        string? cursor = null;
        do
        {
            var page = await jobs.ListAsync(new JobQuery(Limit: 100, Cursor: cursor, ExcerptLength: 1), cancellationToken);
            foreach (var job in page.Items)
            {
                if (job.CreatedAt < from)
                {
                    return found;
                }

                if (job.CreatedAt < to)
                {
                    found.Add(job);
                }
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return found;
    }
}
