using System.Diagnostics;
using System.Globalization;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Environments;
using CodyBatch.Sandbox.Shell;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// Runs checks with bubblewrap: each command in its own namespaces (no network, no host processes),
/// as an unprivileged user of the host under a seccomp filter, seeing only the system folders
/// read-only and its tree, with no inherited environment, inside a cgroup that caps its memory and
/// processes and a tree whose size is bounded; a command that hits a limit or the time limit has
/// its whole tree killed. When any of that is missing the runner refuses, saying why.
/// </summary>
public sealed partial class BubblewrapCheckRunner(IOptions<CheckOptions> options, ILogger<BubblewrapCheckRunner> logger) : ICheckRunner
{
    private readonly SemaphoreSlim _probe = new(1, 1);
    private (bool Probed, string? Problem, Cgroups? Cgroups, SandboxLauncher? Launcher) _state;

    /// <inheritdoc />
    public async Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken) => (await ProbeAsync(cancellationToken)).Problem;

    /// <inheritdoc />
    public async Task<CheckSessionResult> RunAsync(CheckSession session, CancellationToken cancellationToken)
    {
        // A kept installed tree is written straight onto the prepared tree, before it is handed to the sandbox's user; when
        // it stands for the setup, the package managers' caches are not needed for it.
        var (restored, restoring) = (false, TimeSpan.Zero);
        var restoreCaches = session.Setup.Count > 0 && (session.Installed is not null || session.Caches is not null);
        await PrepareTreeAsync(session.TreePath, cancellationToken, restoreCaches
            ? async () =>
            {
                var clock = Stopwatch.StartNew();
                restored = session.Installed is { } kept
                    && await kept.RestoreAsync(session.TreePath, _state.Launcher!.Host.Toolchains.Identity(InstalledTree.Tools), cancellationToken);
                restoring = clock.Elapsed;
                if (!restored && session.Caches is { } caches)
                {
                    await caches.RestoreAsync(session.TreePath, cancellationToken);
                }
            }
            : null);
        if (session.HomePath is { } home)
        {
            Storage.GrantHome(home);
        }

        // A setup whose tree will be kept runs no install script, whatever the lock file declares (see InstalledTree).
        var variables = session.Installed is null ? null : InstalledTree.SetupVariables.SelectMany(v => new[] { "--setenv", v.Key, v.Value }).ToList();
        var setup = new List<CheckResult>();
        foreach (var command in restored ? [] : session.Setup)
        {
            var result = await RunCommandAsync(
                session.TreePath, "setup", command, session.Network is null && session.AllowSetupNetwork, cancellationToken, session.HomePath, session.Network, session.GitViewPath, variables);
            setup.Add(result);
            if (!result.Passed)
            {
                return CheckSessionResult.SetupFailed(setup, session.Checks);
            }
        }

        if (restored)
        {
            setup.AddRange(session.Setup.Select((command, i) => InstalledTree.Skipped(command, i == 0 ? restoring : TimeSpan.Zero)));
        }
        else if (session.Setup.Count > 0)
        {
            // Every process setup started is gone; nothing has run in the tree or the home since.
            if (session.Installed is { } installed)
            {
                await installed.SaveAsync(session.TreePath, cancellationToken);
            }

            if (session.Caches is { } caches)
            {
                await caches.SaveAsync(cancellationToken);
            }
        }

        var checks = new List<CheckResult>();
        foreach (var check in session.Checks)
        {
            checks.Add(await RunCommandAsync(session.TreePath, check.Name, check.Command, network: false, cancellationToken, session.HomePath, gitView: session.GitViewPath));
        }

        return new CheckSessionResult(setup, checks);
    }

    /// <summary>
    /// Makes <paramref name="treePath"/> ready for sandboxed code (its size-limited tmpfs, owned by the sandbox's
    /// user) and returns the launcher that starts commands in it; throws <see cref="CheckSandboxUnavailableException"/>
    /// when the sandbox cannot run. Call again after Cody Batch itself wrote into the tree.
    /// </summary>
    internal async Task<SandboxLauncher> PrepareTreeAsync(string treePath, CancellationToken cancellationToken, Func<Task>? fill = null)
    {
        var (_, problem, _, launcher) = await ProbeAsync(cancellationToken);
        if (problem is not null)
        {
            throw new CheckSandboxUnavailableException(problem);
        }

        await Storage.PrepareAsync(treePath, cancellationToken, fill);
        return launcher!;
    }

    /// <summary>Runs one command in the sandbox (setup when <paramref name="network"/> may be allowed).</summary>
    internal async Task<CheckResult> RunCommandAsync(
        string treePath, string name, string command, bool network, CancellationToken cancellationToken, string? homePath = null, SandboxNetwork? proxy = null,
        string? gitView = null, IReadOnlyList<string>? extra = null)
    {
        var (_, _, cgroups, launcher) = await ProbeAsync(cancellationToken);
        var settings = options.Value;
        using var group = cgroups!.Create(settings.MaxProcesses, settings.MemoryLimitMb * 1024L * 1024L);

        // The launcher joins the cgroup, then becomes bwrap; so the tree is limited from its first instruction.
        var start = RunSandboxLaunch.Create(launcher!, treePath, group.ProcsFiles, command, network, homePath, proxy, extra, gitView);

        // A tree a previous command left full is not this command's doing: only filling it counts as hitting the limit
        // (otherwise a command that starts by making room would be stopped before its first instruction).
        var fullAtStart = Storage.IsFull(treePath);

        // Real wall-clock time: the limit is on a real process, whatever clock the rest of the host runs on.
        var clock = Stopwatch.StartNew();
        using var process = await Spawner.StartAsync(start);
        process.StandardInput.Close();
        var output = new OutputTailBuffer(Math.Max(settings.OutputChars, Verifications.StoredOutputChars) * 2);
        using var readers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.WhenAll(output.ReadAsync(process.StandardOutput, readers.Token), output.ReadAsync(process.StandardError, readers.Token));
        var exited = process.WaitForExitAsync(CancellationToken.None);
        string? limit = null;
        try
        {
            while (!exited.IsCompleted)
            {
                await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                if (exited.IsCompleted)
                {
                    break;
                }

                limit = group.ProcessLimitHit
                    ? $"stopped at the process limit of {settings.MaxProcesses} (CodyBatch:Checks:MaxProcesses)"
                    : group.MemoryLimitHit
                        ? $"killed at the memory limit of {settings.MemoryLimitMb} MiB (CodyBatch:Checks:MemoryLimitMb)"
                        : !fullAtStart && Storage.IsFull(treePath)
                            ? Storage.LimitReason
                            : clock.Elapsed >= settings.Timeout
                                ? $"stopped at the time limit of {Describe(settings.Timeout)} (CodyBatch:Checks:Timeout)"
                                : null;
                if (limit is not null)
                {
                    LogLimit(logger, name, limit);
                    Kill(process, group);
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Kill(process, group);
            throw;
        }

        await exited;

        // bwrap has ended, and with it the namespace's processes; whatever is left in the group is killed.
        group.KillAll();
        try
        {
            await reading.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A pipe held open by a process that escaped the kill cannot happen (the group is empty); do not wait on it anyway.
            await readers.CancelAsync();
        }

        // A tree that hit a limit and then ended by itself (a shell that could not fork) still hit it.
        limit ??= group.ProcessLimitHit
            ? $"stopped at the process limit of {settings.MaxProcesses} (CodyBatch:Checks:MaxProcesses)"
            : group.MemoryLimitHit
                ? $"killed at the memory limit of {settings.MemoryLimitMb} MiB (CodyBatch:Checks:MemoryLimitMb)"
                : !fullAtStart && Storage.IsFull(treePath)
                    ? Storage.LimitReason
                    : null;

        return new CheckResult
        {
            Name = name,
            Command = command,
            ExitCode = limit is null ? process.ExitCode : null,
            Duration = clock.Elapsed,
            Limit = limit,
            Output = output.ToString(),
        };
    }

    private static void Kill(Process process, CommandCgroup group)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        group.KillAll();
    }

    /// <summary>The pieces a long-lived session in the same sandbox needs, or why there are none.</summary>
    internal async Task<(string? Problem, Cgroups? Cgroups, SandboxLauncher? Launcher, TreeStorage? Storage)> SandboxAsync(CancellationToken cancellationToken)
    {
        var (_, problem, cgroups, launcher) = await ProbeAsync(cancellationToken);
        return problem is null ? (null, cgroups, launcher, Storage) : (problem, null, null, null);
    }

    private TreeStorage Storage => new(options.Value, _state.Launcher!.Host);

    private async Task<(bool Probed, string? Problem, Cgroups? Cgroups, SandboxLauncher? Launcher)> ProbeAsync(CancellationToken cancellationToken)
    {
        if (_state.Probed)
        {
            return _state;
        }

        await _probe.WaitAsync(cancellationToken);
        try
        {
            if (!_state.Probed)
            {
                _state = await ProbeOnceAsync(cancellationToken);
                if (_state.Problem is { } problem)
                {
                    LogUnavailable(logger, problem);
                }
            }

            return _state;
        }
        finally
        {
            _probe.Release();
        }
    }

    private async Task<(bool, string?, Cgroups?, SandboxLauncher?)> ProbeOnceAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (true, "Checks were not run: their sandbox (bubblewrap) needs Linux, and this machine runs another system.", null, null);
        }

        var settings = options.Value;
        var configured = settings.BubblewrapPath;
        var bwrap = Resolve(configured);
        if (bwrap is null)
        {
            return (true, $"Checks were not run: bubblewrap was not found at \"{configured}\" (CodyBatch:Checks:BubblewrapPath); install the Debian package bubblewrap (apt-get install bubblewrap), the sandbox checks need.", null, null);
        }

        var (cgroups, problem) = Cgroups.Open();
        if (cgroups is null)
        {
            return (true, $"Checks were not run: the sandbox cannot create cgroups to limit memory and processes ({problem}); run Cody Batch as root or in a cgroup delegated to it.", null, null);
        }

        var host = SandboxHost.Create(settings);
        if (host.DropsPrivileges)
        {
            if (new[] { "setpriv", "unshare", "mount", "chown" }.FirstOrDefault(tool => Resolve(tool) is null) is { } missing)
            {
                return (true, $"Checks were not run: {missing} (util-linux, coreutils) is missing; the sandbox needs it to run checks as user {host.UserId} instead of root.", null, null);
            }

            TreeStorage.DetachOrphans();
        }
        else if (settings.DiskLimitMb > 0)
        {
            return (true, $"Checks were not run: bounding what checks write (CodyBatch:Checks:DiskLimitMb) needs Cody Batch to run as root, to mount each tree on a size-limited tmpfs; run as root, or set CodyBatch:Checks:DiskLimitMb to 0 to leave writes unbounded.", null, null);
        }

        // One real launch, the way every check starts, on an empty tree of its own.
        var launcher = new SandboxLauncher(settings, host, bwrap);
        var tree = Directory.CreateTempSubdirectory("codybatch-probe-").FullName;
        try
        {
            await new TreeStorage(settings, host).GrantAsync(tree, cancellationToken);
            var start = launcher.Create(tree, [], ["/bin/sh", "-c", "echo probe > probe"], network: false);
            using var process = await Spawner.StartAsync(start);
            process.StandardInput.Close();
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0 && File.Exists(Path.Combine(tree, "probe"))
                ? (true, null, cgroups, launcher)
                : (true, $"Checks were not run: bubblewrap cannot create its namespaces here as user {host.UserId} ({output.Trim().Split('\n')[0]}); allow unprivileged user namespaces, or run checks where they are allowed.", null, null);
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }
    }

    private static string? Resolve(string configured)
    {
        if (configured.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(configured) ? configured : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, configured))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>A time limit as the sandbox's limit sentences say it: <c>90 s</c>, <c>3 min</c>.</summary>
    internal static string Describe(TimeSpan span) => span.TotalSeconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check sandbox unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check {Name} hit a limit: {Limit}")]
    private static partial void LogLimit(ILogger logger, string name, string limit);
}
