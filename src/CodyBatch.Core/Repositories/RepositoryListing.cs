namespace CodyBatch.Core.Repositories;

/// <summary>A repository the service account can see, with what a campaign's selection filters on.</summary>
/// <param name="FullName"><c>owner/name</c>.</param>
/// <param name="Topics">Its topics (lower case, as GitHub keeps them).</param>
/// <param name="Language">Its primary language, or null.</param>
/// <param name="Archived">Whether it is archived (read-only).</param>
/// <param name="Fork">Whether it is a fork.</param>
/// <param name="CanPush">Whether the service account may push.</param>
public sealed record RepositoryListing(string FullName, IReadOnlyList<string> Topics, string? Language, bool Archived, bool Fork, bool CanPush);
