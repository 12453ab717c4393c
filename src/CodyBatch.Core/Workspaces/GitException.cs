namespace CodyBatch.Core.Workspaces;

/// <summary>git exited with an error.</summary>
public sealed class GitException(int exitCode, string error)
    : Exception($"git exited with code {exitCode}: {error}")
{
    /// <summary>git's exit code.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>What git wrote to standard error.</summary>
    public string Error { get; } = error;
}
