namespace CodyBatch.Core.Environments;

/// <summary>
/// One persistent shell in a run's sandbox: the working directory and variables carry over from one command to the
/// next. Disposing it kills every process it started.
/// </summary>
public interface IShellSession : IAsyncDisposable
{
    /// <summary>
    /// Runs <paramref name="command"/> with bash and returns its exit code, time and capped output. At the time limit
    /// (or the process limit) the command's processes are killed and the session stays usable. When the session itself
    /// ended (its shell was killed) the result says so and the next command starts a fresh session.
    /// </summary>
    Task<ShellCommandResult> RunAsync(string command, CancellationToken cancellationToken);

    /// <summary>Ends the session's processes and starts a fresh shell in <c>/repo</c> with no variables set.</summary>
    Task RestartAsync(CancellationToken cancellationToken);
}
