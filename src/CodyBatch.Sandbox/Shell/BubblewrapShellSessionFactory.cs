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
    ICheckRunner checks, IOptions<CheckOptions> checkOptions, IOptions<ShellOptions> shellOptions, ILogger<BubblewrapShellSessionFactory> logger)
    : IShellSessionFactory
{
    private readonly Lazy<(Cgroups? Cgroups, string? Problem)> _cgroups = new(Cgroups.Open);

    /// <inheritdoc />
    public async Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken)
    {
        if (await checks.UnavailableReasonAsync(cancellationToken) is { } reason)
        {
            return $"The shell cannot run without its sandbox. {reason}";
        }

        if (_cgroups.Value.Problem is { } problem)
        {
            return $"The shell cannot run: the sandbox cannot create cgroups ({problem}).";
        }

        return RunSandboxLaunch.ResolveBwrap(checkOptions.Value.BubblewrapPath) is null
            ? $"The shell cannot run: bubblewrap was not found at \"{checkOptions.Value.BubblewrapPath}\" (CodyBatch:Checks:BubblewrapPath)."
            : null;
    }

    /// <inheritdoc />
    public async Task<IShellSession> StartAsync(ShellSessionRequest request, CancellationToken cancellationToken)
    {
        if (await UnavailableReasonAsync(cancellationToken) is { } problem)
        {
            throw new CheckSandboxUnavailableException(problem);
        }

        Directory.CreateDirectory(request.HomePath);
        return new BubblewrapShellSession(ct => LaunchAsync(request, ct), checkOptions.Value, shellOptions.Value);
    }

    private async Task<BubblewrapShellSession.SessionProcess> LaunchAsync(ShellSessionRequest request, CancellationToken cancellationToken)
    {
        var settings = checkOptions.Value;
        var group = _cgroups.Value.Cgroups!.Create(settings.MaxProcesses, settings.MemoryLimitMb * 1024L * 1024L);
        var extra = new List<string> { "--tmpfs", ShellDriver.StateFolder };
        extra.AddRange(NetworkBridge.Arguments(request.Network));

        // Last: the sandbox's own root (where bwrap made its mount points) becomes read-only too, so only /repo, /tmp
        // and the session's state are writable at all.
        extra.AddRange(["--remount-ro", "/"]);
        var arguments = RunSandboxLaunch.Arguments(settings, request.RepositoryPath, request.HomePath, NetworkBridge.Wrap(request.Network, ShellDriver.Script), extra);
        var start = RunSandboxLaunch.StartInfo(RunSandboxLaunch.ResolveBwrap(settings.BubblewrapPath)!, group, arguments);
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
