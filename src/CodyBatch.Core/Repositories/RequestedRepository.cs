namespace CodyBatch.Core.Repositories;

/// <summary>A repository a job runs on.</summary>
/// <param name="Name">The run's key and display name: <c>owner/name</c>, or <c>local/name</c> for a local repository.</param>
/// <param name="Source">For a local repository, where it lives (see <see cref="LocalRepository"/>); null for hosted ones.</param>
public sealed record RequestedRepository(string Name, string? Source = null);
