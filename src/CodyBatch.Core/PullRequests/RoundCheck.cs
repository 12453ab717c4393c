namespace CodyBatch.Core.PullRequests;

/// <summary>A check that fails on the head.</summary>
/// <param name="Name">Its name (a check run's name or a commit status's context).</param>
/// <param name="Summary">Its title and summary, or a status's description.</param>
/// <param name="Annotations">Its annotations as <c>path:line: message</c>.</param>
/// <param name="LogTail">The end of its log (a GitHub Actions job's, where the token may read it); null when none was read.</param>
public sealed record RoundCheck(string Name, string? Summary, IReadOnlyList<string> Annotations, string? LogTail);
