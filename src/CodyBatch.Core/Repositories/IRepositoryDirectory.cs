namespace CodyBatch.Core.Repositories;

/// <summary>Lists the repositories the service account can see, for a campaign's selection.</summary>
public interface IRepositoryDirectory
{
    /// <summary>
    /// Every visible repository (of <paramref name="organization"/> only, when given), archived ones and forks
    /// included. Throws <see cref="Runs.RunFailedException"/> with a sentence when the host cannot be read.
    /// </summary>
    Task<IReadOnlyList<RepositoryListing>> ListAsync(string? organization, CancellationToken cancellationToken);
}
