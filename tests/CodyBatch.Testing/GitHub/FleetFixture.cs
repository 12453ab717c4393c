namespace CodyBatch.Testing.GitHub;

/// <summary>
/// 300 repositories of the organization <c>fleet</c> (<c>fleet/service-000</c> … <c>service-299</c>) with topics,
/// languages, archived ones and forks, by rules on the index that tests can state on their own:
/// language Go (i % 3 == 0), C# (1), TypeScript (2), none when i % 50 == 7; topic <c>docker</c> when i % 4 == 0,
/// <c>payments</c> too when i % 10 == 0; archived when i % 25 == 3; a fork when i % 20 == 11.
/// </summary>
public static class FleetFixture
{
    /// <summary>The organization.</summary>
    public const string Owner = "fleet";

    /// <summary>How many repositories.</summary>
    public const int Count = 300;

    /// <summary>The name of repository <paramref name="index"/>.</summary>
    public static string Name(int index) => $"{Owner}/service-{index:D3}";

    /// <summary>Its primary language.</summary>
    public static string? Language(int index) => index % 50 == 7 ? null : (index % 3) switch { 0 => "Go", 1 => "C#", _ => "TypeScript" };

    /// <summary>Whether it has the topic <c>docker</c>.</summary>
    public static bool Docker(int index) => index % 4 == 0;

    /// <summary>Whether it has the topic <c>payments</c>.</summary>
    public static bool Payments(int index) => index % 10 == 0;

    /// <summary>Whether it is archived.</summary>
    public static bool Archived(int index) => index % 25 == 3;

    /// <summary>Whether it is a fork.</summary>
    public static bool Fork(int index) => index % 20 == 11;

    /// <summary>Adds the 300 repositories to <paramref name="api"/>.</summary>
    public static IReadOnlyList<FakeGitHubRepository> AddTo(FakeGitHubApi api) => api.AddFleet(Owner, Count, (i, repository) =>
    {
        repository.Language = Language(i);
        repository.Archived = Archived(i);
        repository.Fork = Fork(i);
        if (Docker(i))
        {
            repository.Topics.Add("docker");
        }

        if (Payments(i))
        {
            repository.Topics.Add("payments");
        }
    });
}
