using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;

namespace CodyBatch.Core.Environments;

/// <summary>
/// The shell of one run: started on Claude's first command, restarted on request, and ended with every process it
/// started when the run's agent ends. Every command goes into the thread with its exit code, time and capped output.
/// </summary>
public sealed class RunShell(IShellSessionFactory factory, ShellSessionRequest request, ShellOptions options, AgentThread thread, SecretRedactor redactor)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IShellSession? _session;
    private bool _disposed;

    /// <summary>What the shell may reach over the network.</summary>
    public SandboxNetwork Network => request.Network;

    /// <summary>True when the shell sees the read-only git view of the snapshot as <c>/repo/.git</c>.</summary>
    public bool HasGitView => request.GitViewPath is not null;

    /// <summary>Notes that a tool other than the shell wrote into the workspace, so the next command first hands it to the sandbox's user.</summary>
    public void NoteWorkspaceWritten() => request.Writes.Note();

    /// <summary>The wall-clock limit of one command.</summary>
    public TimeSpan CommandTimeout => options.CommandTimeout;

    /// <summary>Runs one command in the session (started on first use); the output is redacted of every known secret.</summary>
    public async Task<ShellCommandResult> RunAsync(string command, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _session ??= await factory.StartAsync(request, cancellationToken);
            ShellCommandResult result;
            using (var timing = Telemetry.CodyBatchMetrics.TimeSandbox("shell"))
            {
                result = await _session.RunAsync(command, cancellationToken);
                timing.Ended(result.Limit is not null ? "limit" : result.ExitCode == 0 ? "ok" : "failed", result.ExitCode);
            }

            result = result with { Output = redactor.Redact(result.Output) };
            thread.Add("shell", new JsonObject
            {
                ["command"] = redactor.Redact(command),
                ["exitCode"] = result.ExitCode,
                ["durationMs"] = (long)result.Duration.TotalMilliseconds,
                ["limit"] = result.Limit,
                ["cutChars"] = result.CutChars,
                ["output"] = result.Output,
            });
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the session's processes; the next command starts a fresh shell.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_session is { } session)
            {
                _session = null;
                await session.DisposeAsync();
            }

            thread.Add("shell", new JsonObject { ["restart"] = true });
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            _disposed = true;
            if (_session is { } session)
            {
                _session = null;
                await session.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
