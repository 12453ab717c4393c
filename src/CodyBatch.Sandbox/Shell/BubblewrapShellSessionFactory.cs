using CodyBatch.Core.Checks;
using CodyBatch.Core.Environments;
using CodyBatch.Sandbox.Bubblewrap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// Shell sessions in the checks' bubblewrap sandbox: the run's workspace as <c>/repo</c>, the run's home as
/// <c>/tmp</c>, a cleared environment, its own namespaces (the network's included) and one cgroup for the session's
/// memory and processes. Available exactly when the checks' sandbox is.
/// </summary>
public sealed partial class BubblewrapShellSessionFactory(
    BubblewrapCheckRunner checks, IOptions<CheckOptions> checkOptions, IOptions<ShellOptions> shellOptions, ILogger<BubblewrapShellSessionFactory> logger)
    : IShellSessionFactory
{
    /// <inheritdoc />
    public async Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken) =>
        await checks.UnavailableReasonAsync(cancellationToken) is { } reason ? $"The shell cannot run without its sandbox. {reason}" : null;

    /// <inheritdoc />
    public async Task<IShellSession> StartAsync(ShellSessionRequest request, CancellationToken cancellationToken)
    {
        if (await UnavailableReasonAsync(cancellationToken) is { } problem)
        {
            throw new CheckSandboxUnavailableException(problem);
        }

        Directory.CreateDirectory(request.HomePath);
        return new BubblewrapShellSession(ct => LaunchAsync(request, ct), ct => GrantAsync(request, ct), checkOptions.Value, shellOptions.Value);
    }

    private async Task GrantAsync(ShellSessionRequest request, CancellationToken cancellationToken)
    {
        // Only after Cody Batch's own tools wrote: what the shell itself writes is the sandbox user's already.
        if (!request.Writes.Take())
        {
            return;
        }

        var (_, _, _, storage) = await checks.SandboxAsync(cancellationToken);
        if (storage is not null)
        {
            await storage.GrantAsync(request.RepositoryPath, cancellationToken);
        }
    }

    private async Task<BubblewrapShellSession.SessionProcess> LaunchAsync(ShellSessionRequest request, CancellationToken cancellationToken)
    {
        var settings = checkOptions.Value;
        var (problem, cgroups, launcher, storage) = await checks.SandboxAsync(cancellationToken);
        if (problem is not null)
        {
            throw new CheckSandboxUnavailableException(problem);
        }

        // The workspace and the home become the sandbox identity's (and the workspace bounded like a tree) before the shell sees them.
        request.Writes.Take();
        await storage!.PrepareAsync(request.RepositoryPath, cancellationToken);
        storage.GrantHome(request.HomePath);
        var group = cgroups!.Create(settings.MaxProcesses, settings.MemoryLimitMb * 1024L * 1024L);
        var start = RunSandboxLaunch.Create(
            launcher!, request.RepositoryPath, group.ProcsFiles, ShellDriver.Script, hostNetwork: false, request.HomePath, request.Network, ["--tmpfs", ShellDriver.StateFolder],
            request.GitViewPath);
        BubblewrapShellSession.SessionProcess session;
        try
        {
            var process = await Spawner.StartAsync(start);
            session = new BubblewrapShellSession.SessionProcess(process, group, shellOptions.Value.OutputChars);
        }
        catch
        {
            group.Dispose();
            throw;
        }

        if (!await session.StartAsync(cancellationToken))
        {
            var output = session.StartOutput().Trim();
            await session.DisposeAsync();
            LogStartFailed(logger, output);
            throw new CheckSandboxUnavailableException($"The shell could not start in the sandbox: {(output.Length == 0 ? "it did not answer" : output)}");
        }

        return session;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shell session could not start: {Output}")]
    private static partial void LogStartFailed(ILogger logger, string output);
}
