namespace CodyBatch.Core.Publishing;

/// <summary>
/// Before a pull request opens: which open pull requests of the repository (from anyone, the campaign's own left out)
/// touch a file the change touches, said as a sentence for the run's notice.
/// </summary>
public sealed class OverlapCheck(IOpenPullRequests openPullRequests)
{
    private const int FilesNamed = 3;

    /// <summary>The sentence naming the overlapping pull requests, or null when none overlaps.</summary>
    public async Task<string?> FindAsync(string repository, IEnumerable<string> changedPaths, int? ownNumber, CancellationToken cancellationToken)
    {
        var changed = changedPaths.ToHashSet(StringComparer.Ordinal);
        var overlapping = (await openPullRequests.ListAsync(repository, cancellationToken))
            .Where(p => p.Number != ownNumber)
            .Select(p => (Pull: p, Files: p.Files.Where(changed.Contains).Order(StringComparer.Ordinal).ToList()))
            .Where(o => o.Files.Count > 0)
            .OrderBy(o => o.Pull.Number)
            .ToList();
        if (overlapping.Count == 0)
        {
            return null;
        }

        var named = overlapping.Select(o =>
            $"#{o.Pull.Number} by {o.Pull.Author} ({string.Join(", ", o.Files.Take(FilesNamed))}{(o.Files.Count > FilesNamed ? $" and {o.Files.Count - FilesNamed} more" : "")}) {o.Pull.Url}");
        return $"Open pull request{(overlapping.Count == 1 ? "" : "s")} touch{(overlapping.Count == 1 ? "es" : "")} files this change touches: {string.Join("; ", named)}.";
    }
}
