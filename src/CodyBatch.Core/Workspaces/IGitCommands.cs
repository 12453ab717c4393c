namespace CodyBatch.Core.Workspaces;

/// <summary>
/// The <c>git</c> command line, as the workspace records a baseline, makes a patch and checks that it
/// applies. Core asks; an adapter runs the process, so Core itself starts none.
/// </summary>
public interface IGitCommands
{
    /// <summary>
    /// Runs git with <paramref name="arguments"/> in <paramref name="workingDirectory"/> with no user or system
    /// configuration in play; returns standard output, throws <see cref="GitException"/> on a non-zero exit and
    /// <see cref="GitOutputTooLargeException"/> (after stopping git) when the output passes <paramref name="maxOutputChars"/>.
    /// </summary>
    Task<string> RunAsync(
        string workingDirectory,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        IDictionary<string, string>? environment = null,
        long? maxOutputChars = null);
}
