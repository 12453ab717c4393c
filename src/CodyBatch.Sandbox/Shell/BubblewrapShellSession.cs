using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Environments;
using CodyBatch.Sandbox.Bubblewrap;

namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// One shell session in the run's sandbox (see <see cref="ShellDriver"/>). The session's own processes (bwrap, its
/// init, the driver) are noted when it starts; at a command's limit every other process of the session's cgroup is
/// killed, so the command's whole tree goes and the session answers the next command.
/// </summary>
internal sealed class BubblewrapShellSession : IShellSession
{
    private readonly Func<CancellationToken, Task<SessionProcess>> _start;
    private readonly CheckOptions _checks;
    private readonly ShellOptions _shell;
    private readonly Func<CancellationToken, Task> _beforeCommand;
    private SessionProcess? _current;

    public BubblewrapShellSession(Func<CancellationToken, Task<SessionProcess>> start, Func<CancellationToken, Task> beforeCommand, CheckOptions checks, ShellOptions shell)
    {
        _start = start;
        _beforeCommand = beforeCommand;
        _checks = checks;
        _shell = shell;
    }

    public async Task<ShellCommandResult> RunAsync(string command, CancellationToken cancellationToken)
    {
        if (_current is null || _current.Ended)
        {
            if (_current is not null)
            {
                await _current.DisposeAsync();
            }

            _current = await _start(cancellationToken);
        }

        var session = _current;
        var clock = Stopwatch.StartNew();

        // Files Cody Batch's own tools wrote since the last command become the sandbox identity's too.
        await _beforeCommand(cancellationToken);
        var processHits = session.Watch.ProcessLimitHits;
        var memoryKills = session.Watch.MemoryKills;
        var pending = session.Send(command);
        string? limit = null;
        try
        {
            while (!pending.Done.Task.IsCompleted)
            {
                await Task.WhenAny(pending.Done.Task, Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                if (pending.Done.Task.IsCompleted)
                {
                    break;
                }

                limit = session.Watch.ProcessLimitHits > processHits
                    ? $"Stopped at the process limit of {_checks.MaxProcesses} (CodyBatch:Checks:MaxProcesses): the command's processes were killed; the session goes on."
                    : clock.Elapsed >= _shell.CommandTimeout
                        ? $"Killed at the time limit of {BubblewrapCheckRunner.Describe(_shell.CommandTimeout)} (CodyBatch:Shell:CommandTimeout): the command's processes were killed; the session goes on."
                        : null;
                if (limit is not null)
                {
                    session.KillCommand();
                    if (await Task.WhenAny(pending.Done.Task, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None)) != pending.Done.Task)
                    {
                        await session.DisposeAsync();
                    }

                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            session.KillCommand();
            throw;
        }

        var exitCode = limit is null && pending.Done.Task.IsCompleted ? await pending.Done.Task : null;
        if (limit is null && exitCode is null)
        {
            limit = "The shell session ended under this command (its shell was killed or exited); the next command starts a fresh session in /repo with no variables set.";
        }
        else if (limit is null && session.Watch.ProcessLimitHits > processHits)
        {
            // The command ended by itself after a fork failed at the limit (a fork bomb's first level returns at
            // once): what it left multiplying is killed all the same, so the session is not left under it.
            session.KillCommand();
            limit = $"Stopped at the process limit of {_checks.MaxProcesses} (CodyBatch:Checks:MaxProcesses): the command's processes were killed; the session goes on.";
        }
        else if (limit is null && session.Watch.MemoryKills > memoryKills)
        {
            // The kernel killed the largest process; the command saw that and went on, so its exit code stands.
            limit = $"A process of this command was killed at the memory limit of {_checks.MemoryLimitMb} MiB (CodyBatch:Checks:MemoryLimitMb).";
        }

        return new ShellCommandResult
        {
            Command = command,
            ExitCode = exitCode,
            Duration = clock.Elapsed,
            Output = pending.Capture.ToString(),
            CutChars = pending.Capture.CutChars,
            Limit = limit,
        };
    }

    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current)
        {
            _current = null;
            await current.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await RestartAsync(CancellationToken.None);

    /// <summary>One command waiting for its end marker.</summary>
    internal sealed class Pending(string marker, int maxChars)
    {
        public string Marker { get; } = marker;

        public HeadTailCapture Capture { get; } = new(maxChars);

        public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The sandbox process of a session, its output reader and its cgroup.</summary>
    internal sealed class SessionProcess(Process process, CommandCgroup group, int maxChars) : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly CgroupWatch _watch = new(group);
        private HashSet<int> _keep = [];
        private Pending? _pending;
        private HeadTailCapture _stray = new(maxChars);
        private Task? _reading;
        private bool _disposed;

        public CgroupWatch Watch => _watch;

        public bool Ended { get; private set; }

        /// <summary>Starts reading, runs <c>true</c> to see the driver answer, and notes the session's own processes.</summary>
        public async Task<bool> StartAsync(CancellationToken cancellationToken)
        {
            _reading = Task.Run(ReadAsync, CancellationToken.None);
            var ready = Send("true");
            var answered = await Task.WhenAny(ready.Done.Task, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
            if (answered != ready.Done.Task || await ready.Done.Task != 0)
            {
                return false;
            }

            // Now only bwrap, its init and the driver are in the group.
            _keep = _watch.Members();
            return true;
        }

        /// <summary>The output so far when the session failed to start.</summary>
        public string StartOutput() => _stray.ToString();

        public Pending Send(string command)
        {
            var pending = new Pending(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), maxChars);
            lock (_gate)
            {
                if (Ended)
                {
                    pending.Done.TrySetResult(null);
                    return pending;
                }

                // Output printed between commands (a background process) is shown with the next one.
                pending.Capture.Append(_stray.ToString());
                _stray = new HeadTailCapture(maxChars);
                _pending = pending;
            }

            try
            {
                // The length first, then the bytes as they are (a NUL cannot be in a shell command; bash would drop it and miscount).
                var text = Encoding.UTF8.GetBytes(command.Replace("\0", "", StringComparison.Ordinal));
                var input = process.StandardInput.BaseStream;
                input.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{pending.Marker} {text.Length}\n")));
                input.Write(text);
                input.Flush();
            }
            catch (IOException)
            {
                End();
            }

            return pending;
        }

        public void KillCommand() => _watch.KillAllBut(_keep);

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The driver is gone already.
            }

            group.KillAll();
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Ended.
            }

            await process.WaitForExitAsync(CancellationToken.None);
            group.KillAll();
            if (_reading is not null)
            {
                await _reading.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            group.Dispose();
            process.Dispose();
            End();
        }

        private async Task ReadAsync()
        {
            var buffer = new char[32 * 1024];
            var carry = new StringBuilder();
            try
            {
                int read;
                while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
                {
                    carry.Append(buffer, 0, read);
                    Consume(carry);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The pipe closed with the process.
            }

            lock (_gate)
            {
                (_pending?.Capture ?? _stray).Append(carry.ToString());
            }

            End();
        }

        private void Consume(StringBuilder carry)
        {
            lock (_gate)
            {
                while (true)
                {
                    var target = _pending?.Capture ?? _stray;
                    if (_pending is null)
                    {
                        target.Append(carry.ToString());
                        carry.Clear();
                        return;
                    }

                    var text = carry.ToString();
                    var at = text.IndexOf(_pending.Marker + ":", StringComparison.Ordinal);
                    if (at < 0)
                    {
                        // Keep what could be the start of the marker for the next read.
                        var keep = Math.Min(text.Length, _pending.Marker.Length + 1);
                        target.Append(text.AsSpan(0, text.Length - keep));
                        carry.Remove(0, text.Length - keep);
                        return;
                    }

                    var end = text.IndexOf('\n', at);
                    if (end < 0)
                    {
                        target.Append(text.AsSpan(0, at));
                        carry.Remove(0, at);
                        return;
                    }

                    target.Append(text.AsSpan(0, at));
                    var code = text[(at + _pending.Marker.Length + 1)..end];
                    var done = _pending;
                    _pending = null;
                    carry.Remove(0, end + 1);
                    done.Done.TrySetResult(int.TryParse(code, CultureInfo.InvariantCulture, out var exit) ? exit : null);
                }
            }
        }

        private void End()
        {
            lock (_gate)
            {
                Ended = true;
                _pending?.Done.TrySetResult(null);
                _pending = null;
            }
        }
    }
}
