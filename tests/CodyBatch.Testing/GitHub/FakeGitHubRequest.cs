namespace CodyBatch.Testing.GitHub;

/// <summary>One request the fake GitHub received.</summary>
public sealed record FakeGitHubRequest(string Method, string Path, string Query, string Body, string Authorization, DateTimeOffset At)
{
    /// <summary>The entity tag the client sent, if any.</summary>
    public string? IfNoneMatch { get; init; }
}
