using System.Net;
using System.Net.Sockets;

namespace CodyBatch.Sandbox.Tests;

/// <summary>Commands Claude's shell could run that attack the machine, each contained by the sandbox.</summary>
public sealed class HostileShellTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-hostile-shell");

    public HostileShellTests()
    {
        Directory.CreateDirectory(Repository);
        Directory.CreateDirectory(Home);
    }

    private string Repository => _root.Combine("data", "workspaces", "run-a", "repo");

    private string Home => _root.Combine("data", "workspaces", "run-a", "home");

    [Fact]
    public async Task Dumping_the_environment_and_every_process_environ_shows_no_secret()
    {
        const string Secret = "sk-ant-api03-shell-test-secret-value-0123";
        Environment.SetEnvironmentVariable("CODYBATCH_SHELL_TEST_SECRET", Secret);
        try
        {
            await using var session = await Shell.StartAsync(Shell.Factory(), Repository, Home);

            var result = await session.RunAsync("env; echo ---; for f in /proc/*/environ; do tr '\\0' '\\n' < \"$f\"; done; cat /proc/1/cmdline /proc/2/cmdline | tr '\\0' ' '", CancellationToken.None);

            Assert.Equal(0, result.ExitCode);
            Assert.DoesNotContain(Secret, result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("CODYBATCH_SHELL_TEST_SECRET", result.Output, StringComparison.Ordinal);
            Assert.Contains("HOME=/tmp", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CODYBATCH_SHELL_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task The_data_directory_and_another_runs_workspace_are_absent()
    {
        var other = _root.Combine("data", "workspaces", "run-b", "repo");
        Directory.CreateDirectory(other);
        await File.WriteAllTextAsync(Path.Combine(other, "private.txt"), "another repository");
        await File.WriteAllTextAsync(_root.Combine("data", "codybatch.db"), "jobs");
        await using var session = await Shell.StartAsync(Shell.Factory(), Repository, Home);

        var result = await session.RunAsync(
            $"cat {other}/private.txt; ls {_root.Combine("data")}; cat {_root.Combine("data", "codybatch.db")}; ls /repo/.. ; ls /home /root 2>&1; echo end",
            CancellationToken.None);

        Assert.DoesNotContain("another repository", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("jobs", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\nworkspaces\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("end\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_outside_repo_and_tmp_are_refused_and_land_nowhere_on_the_host()
    {
        var marker = $"codybatch-shell-escape-{Guid.NewGuid():N}";
        await using var session = await Shell.StartAsync(Shell.Factory(), Repository, Home);

        var result = await session.RunAsync(
            string.Join("; ", new[] { "/usr", "/etc", "", "/bin", "/var", "/repo/..", _root.Path }.Select(folder => $"echo x > {folder}/{marker} || echo refused:{folder}")) + "; echo ok > /repo/inside",
            CancellationToken.None);

        Assert.Equal(7, result.Output.Split('\n').Count(l => l.StartsWith("refused:", StringComparison.Ordinal)));
        foreach (var folder in new[] { "/usr", "/etc", "/", "/bin", "/var", _root.Combine("data", "workspaces", "run-a"), _root.Path })
        {
            Assert.False(File.Exists(Path.Combine(folder, marker)), folder);
        }

        Assert.True(File.Exists(Path.Combine(Repository, "inside")));
    }

    [Fact]
    public async Task A_listener_on_the_hosts_loopback_cannot_be_reached()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var session = await Shell.StartAsync(Shell.Factory(), Repository, Home);

        var result = await session.RunAsync(
            $"(exec 3<>/dev/tcp/127.0.0.1/{port}) && echo connected || echo refused; python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 2)\" 2>&1 | tail -1",
            CancellationToken.None);

        Assert.Contains("refused", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("connected", result.Output, StringComparison.Ordinal);
        Assert.Contains("Connection refused", result.Output, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task A_background_process_left_running_is_gone_when_the_session_ends()
    {
        var marker = Random.Shared.Next(100_000, 999_999);
        var session = await Shell.StartAsync(Shell.Factory(), Repository, Home);

        // "started" once all three sleeps run (not merely forked), so the count below sees them whatever the load.
        var result = await session.RunAsync(
            $"sleep {marker}1 & nohup setsid sleep {marker}2 > /dev/null 2>&1 & (trap '' TERM HUP; sleep {marker}3) & " +
            $"until [ \"$(for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\"; echo; done 2>/dev/null | grep -c '^sleep {marker}')\" = 3 ]; do :; done; echo started",
            CancellationToken.None);
        Assert.Equal("started\n", result.Output);
        Assert.Equal(3, SleepingHostProcesses(marker));

        await session.DisposeAsync();

        Assert.Equal(0, SleepingHostProcesses(marker));
    }

    [Fact]
    public async Task A_fork_bomb_is_stopped_at_the_process_limit_and_the_session_goes_on()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(checks: c => c.MaxProcesses = 64), Repository, Home);

        // The command itself stays (a builtin loop needs no fork) until the limit is seen, so the kill is the product's.
        var bomb = await session.RunAsync("bomb() { bomb | bomb & }; bomb; while :; do :; done", CancellationToken.None);
        var next = await session.RunAsync("echo alive", CancellationToken.None);

        Assert.Null(bomb.ExitCode);
        Assert.Contains("process limit of 64", bomb.Limit, StringComparison.Ordinal);
        Assert.Equal(0, next.ExitCode);

        // What the bomb's processes printed after the command ended comes first (as in any terminal).
        Assert.EndsWith("alive\n", next.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_memory_hog_is_killed_at_the_memory_limit_and_the_session_goes_on()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(checks: c => c.MemoryLimitMb = 128), Repository, Home);

        var hog = await session.RunAsync("python3 -c \"a = bytearray(1024 * 1024 * 1024); print('alloc' + 'ated')\"", CancellationToken.None);
        var next = await session.RunAsync("echo alive", CancellationToken.None);

        Assert.NotEqual(0, hog.ExitCode);
        Assert.DoesNotContain("allocated", hog.Output, StringComparison.Ordinal);
        Assert.Equal("alive\n", next.Output);
    }

    [Fact]
    public async Task Fifty_megabytes_of_output_are_cut_to_their_start_and_end_with_a_line_saying_so()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(shell: s => s.OutputChars = 4_000), Repository, Home);

        var result = await session.RunAsync("echo FIRST; head -c 50000000 /dev/zero | tr '\\0' 'a'; echo; echo LAST", CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("FIRST\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("LAST\n", result.Output, StringComparison.Ordinal);
        Assert.True(result.Output.Length < 4_300, $"{result.Output.Length} characters came back");
        Assert.Equal(50_000_012L - 4_000, result.CutChars);
        Assert.Contains("[… 49,996,012 characters (0 lines) of 50,000,012 cut from the middle of the output …]", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_that_never_ends_is_killed_at_the_time_limit_and_the_session_answers_the_next()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(shell: s => s.CommandTimeout = TimeSpan.FromSeconds(2)), Repository, Home);
        await session.RunAsync("cd /tmp && export KEPT=yes", CancellationToken.None);

        var sleeping = await session.RunAsync("echo before; sleep infinity", CancellationToken.None);
        var spinning = await session.RunAsync("while :; do :; done", CancellationToken.None);
        var next = await session.RunAsync("echo \"$KEPT $(pwd)\"", CancellationToken.None);

        Assert.Null(sleeping.ExitCode);
        Assert.Contains("time limit of 2 s (CodyBatch:Shell:CommandTimeout)", sleeping.Limit, StringComparison.Ordinal);
        Assert.StartsWith("before\n", sleeping.Output, StringComparison.Ordinal);
        Assert.Contains("time limit", spinning.Limit, StringComparison.Ordinal);
        Assert.Equal(0, next.ExitCode);
        Assert.Equal("yes /tmp\n", next.Output);
    }

    private static int SleepingHostProcesses(int marker)
    {
        var count = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (commandLine.StartsWith("sleep ", StringComparison.Ordinal) && commandLine.Contains($"{marker}", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Ended while listed.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }

        return count;
    }

    public void Dispose() => _root.Dispose();
}
