using System.Text;

namespace CodyBatch.Jobs;

/// <summary>One repository run as a row of a job's results export.</summary>
public sealed record RunResultRow(
    string Repository,
    RunStatus Status,
    bool? WereChangesNecessary,
    int Files,
    int Additions,
    int Deletions,
    int Attempts,
    string? CommitSha,
    string? PullRequestUrl,
    string? PullRequestBranch,
    string? Summary,
    string? Error,
    string? Notice,
    long Tokens,
    decimal CostUsd,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? PatchUrl)
{
    private static readonly string[] Header =
    [
        "repository", "status", "wereChangesNecessary", "files", "additions", "deletions", "attempts", "commitSha",
        "pullRequestUrl", "pullRequestBranch", "summary", "error", "notice", "tokens", "costUsd", "startedAt", "finishedAt", "patchUrl",
    ];

    public static RunResultRow From(string jobId, RepositoryRun run) => new(
        run.Repository,
        run.Status,
        run.WereChangesNecessary,
        run.Changes?.Files ?? 0,
        run.Changes?.Additions ?? 0,
        run.Changes?.Deletions ?? 0,
        run.Attempts,
        run.CommitSha,
        run.PullRequestUrl,
        run.PullRequestBranch,
        run.Summary,
        run.Error,
        run.Notice,
        run.Usage.TotalTokens,
        run.Usage.CostUsd,
        run.StartedAt,
        run.FinishedAt,
        run.PatchArtifact is null ? null : $"/api/jobs/{jobId}/repositories/{run.Repository}/patch");

    /// <summary>RFC 4180 CSV with a header row; text that a spreadsheet would run as a formula is quoted with a leading apostrophe.</summary>
    public static string ToCsv(IEnumerable<RunResultRow> rows)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Header)).Append("\r\n");
        foreach (var row in rows)
        {
            string[] cells =
            [
                Text(row.Repository), Text(row.Status.ToString().ToLowerInvariant()), row.WereChangesNecessary switch { true => "true", false => "false", null => "" },
                Number(row.Files), Number(row.Additions), Number(row.Deletions), Number(row.Attempts), Text(row.CommitSha),
                Text(row.PullRequestUrl), Text(row.PullRequestBranch), Text(row.Summary), Text(row.Error), Text(row.Notice),
                Number(row.Tokens), row.CostUsd.ToString("0.######", CultureInfo.InvariantCulture),
                Time(row.StartedAt), Time(row.FinishedAt), Text(row.PatchUrl),
            ];
            csv.Append(string.Join(',', cells)).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? value) => value?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) ?? "";

    private static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
