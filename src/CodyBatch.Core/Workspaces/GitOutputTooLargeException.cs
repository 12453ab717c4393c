namespace CodyBatch.Core.Workspaces;

/// <summary>git wrote more than the caller would read; the process was stopped.</summary>
public sealed class GitOutputTooLargeException(long limit)
    : Exception($"git wrote more than {limit:N0} characters of output.")
{
    /// <summary>The most characters the caller would read.</summary>
    public long Limit { get; } = limit;
}
