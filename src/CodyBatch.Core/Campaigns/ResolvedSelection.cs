namespace CodyBatch.Core.Campaigns;

/// <summary>What a selection resolved to: the repositories in order, and what was left out with why.</summary>
/// <param name="Repositories">The selected repositories (<c>owner/name</c>), explicit ones first, then the matches by name.</param>
/// <param name="Excluded">Repositories that matched but were left out, each with the reason.</param>
/// <param name="Errors">What to fix in the selection, per field; empty when it is fine.</param>
public sealed record ResolvedSelection(
    IReadOnlyList<string> Repositories, IReadOnlyList<ExcludedRepository> Excluded, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>A repository the selection matched but left out.</summary>
/// <param name="Repository"><c>owner/name</c>.</param>
/// <param name="Reason">Why: archived, a fork, not in the allowed repositories.</param>
public sealed record ExcludedRepository(string Repository, string Reason);
