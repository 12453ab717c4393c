using CodyBatch.Core.Access;

namespace CodyBatch.Access;

/// <summary><c>GET /api/spend</c>: what jobs cost per author (key), campaign and day, and the caps.</summary>
internal static class SpendEndpoints
{
    public static IEndpointRouteBuilder MapSpend(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/spend", ReportAsync).WithTags("Access")
            .WithName("GetSpend").WithSummary("What jobs created in [from, to) cost (default: this UTC month), per author, campaign, day and author-and-day, with the server's monthly cap.")
            .RequireRole(Role.Viewer)
            .ProducesValidationProblem();
        return routes;
    }

    private static async Task<Results<Ok<SpendReport>, ValidationProblem>> ReportAsync(
        SpendService spend, CancellationToken cancellationToken, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var (monthStart, monthEnd) = spend.ThisMonth();
        var start = from ?? monthStart;
        var end = to ?? (from is null ? monthEnd : start.AddMonths(1));
        if (end <= start || end - start > TimeSpan.FromDays(366))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["to"] = ["to must be later than from, and at most 366 days after it."] }, title: "The query has problems");
        }

        return TypedResults.Ok(await spend.ReportAsync(start, end, cancellationToken));
    }
}
