using System.Diagnostics;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Environments;
using CodyBatch.Sandbox.Shell;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// Runs checks with bubblewrap: each command in its own namespaces (no network, no host processes),
/// seeing only the system folders read-only and its tree, with no inherited environment, inside a
/// cgroup that caps its memory and processes; a command that hits a limit or the time limit has its
/// whole tree killed. When any of that is missing the runner refuses, saying why.
/// </summary>
public sealed partial class BubblewrapCheckRunner(IOptions<CheckOptions> options, ILogger<BubblewrapCheckRunner> logger) : ICheckRunner
{
    private readonly SemaphoreSlim _probe = new(1, 1);
    private (bool Probed, string? Problem, Cgroups? Cgroups, string? Bwrap) _state;

    /// <inheritdoc />
    public async Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken) => (await ProbeAsync(cancellationToken)).Problem;

    /// <inheritdoc />
    public async Task<CheckSessionResult> RunAsync(CheckSession session, CancellationToken cancellationToken)
    {
        var (_, problem, _, _) = await ProbeAsync(cancellationToken);
        if (problem is not null)
        {
            throw new CheckSandboxUnavailableException(problem);
        }

        var setup = new List<CheckResult>();
        foreach (var command in session.Setup)
        {
            var result = await RunCommandAsync(session.TreePath, "setup", command, session.Network is null && session.AllowSetupNetwork, cancellationToken, session.HomePath, session.Network);
            setup.Add(result);
            if (!result.Passed)
            {
                var why = $"Not run: setup `{command}` failed ({result.Limit ?? $"exit code {result.ExitCode}"}).";
                return new CheckSessionResult(setup, [.. session.Checks.Select(c => new CheckResult { Name = c.Name, Command = c.Command, Limit = why })]);
            }
        }

        var checks = new List<CheckResult>();
        foreach (var check in session.Checks)
        {
            checks.Add(await RunCommandAsync(session.TreePath, check.Name, check.Command, network: false, cancellationToken, session.HomePath));
        }

        return new CheckSessionResult(setup, checks);
    }

    /// <summary>Runs one command in the sandbox (setup when <paramref name="network"/> may be allowed).</summary>
    internal async Task<CheckResult> RunCommandAsync(
        string treePath, string name, string command, bool network, CancellationToken cancellationToken, string? homePath = null, SandboxNetwork? proxy = null)
    {
        var (_, _, cgroups, bwrap) = await ProbeAsync(cancellationToken);
        var settings = options.Value;
        using var group = cgroups!.Create(settings.MaxProcesses, settings.MemoryLimitMb * 1024L * 1024L);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The launcher joins the cgroup, then becomes bwrap; so the tree is limited from its first instruction.
        // Nothing of this process's environment (secrets included) is passed on, not even to bwrap itself.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""ulimit -c 0; while [ "$1" != "--" ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@" 2>&1""");
        start.ArgumentList.Add("codybatch-check");
        foreach (var procs in group.ProcsFiles)
        {
            start.ArgumentList.Add(procs);
        }

        start.ArgumentList.Add("--");
        start.ArgumentList.Add(bwrap!);
        foreach (var argument in RunSandboxLaunch.ForCommand(settings, treePath, command, network, homePath, proxy))
        {
            start.ArgumentList.Add(argument);
        }

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

    private async Task<(bool Probed, string? Problem, Cgroups? Cgroups, string? Bwrap)> ProbeAsync(CancellationToken cancellationToken)
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

    private async Task<(bool, string?, Cgroups?, string?)> ProbeOnceAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (true, "Checks were not run: their sandbox (bubblewrap) needs Linux, and this machine runs another system.", null, null);
        }

        var configured = options.Value.BubblewrapPath;
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

        var start = new ProcessStartInfo(bwrap) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Clear();
        foreach (var argument in SandboxArguments.Build(options.Value, Path.GetTempPath(), "exit 0", network: false))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = await Spawner.StartAsync(start);
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? (true, null, cgroups, bwrap)
            : (true, $"Checks were not run: bubblewrap cannot create its namespaces here ({error.Trim().Split('\n')[0]}); allow user namespaces, or run checks where they are allowed.", null, null);
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

    private static string Describe(TimeSpan span) => span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check sandbox unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check {Name} hit a limit: {Limit}")]
    private static partial void LogLimit(ILogger logger, string name, string limit);
}
