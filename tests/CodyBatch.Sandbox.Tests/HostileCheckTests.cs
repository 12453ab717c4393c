using System.Net;
using System.Net.Sockets;

namespace CodyBatch.Sandbox.Tests;

/// <summary>Checks that attack the machine they run on, each contained by the sandbox.</summary>
public sealed class HostileCheckTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-sandbox");

    public HostileCheckTests() => Directory.CreateDirectory(Tree);

    private string Tree => _root.Combine("run", "checks");

    [Fact]
    public async Task A_check_that_prints_the_environment_sees_no_secret_and_no_host_variable()
    {
        const string Secret = "sk-ant-api03-sandbox-test-secret-value";
        Environment.SetEnvironmentVariable("ANTHROPIC_API_KEY", Secret);
        Environment.SetEnvironmentVariable("GITHUB_TOKEN", "ghp_sandboxTestToken0123456789");
        Environment.SetEnvironmentVariable("CODYBATCH_SANDBOX_TEST_MARKER", "host-variable");
        try
        {
            var result = await Sandbox.RunAsync(Sandbox.Runner(), Tree, "env; echo ---; cat /proc/self/environ /proc/1/environ | tr '\\0' '\\n'; ls /proc");

            Assert.Equal(0, result.ExitCode);
            Assert.DoesNotContain(Secret, result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("ghp_sandboxTestToken", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("ANTHROPIC", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("GITHUB", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("host-variable", result.Output, StringComparison.Ordinal);
            var names = result.Output.Split("---")[0].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')[0]).ToHashSet();
            var expected = new HashSet<string> { "PATH", "HOME", "TMPDIR", "LANG", "CI", "PWD", "SHLVL", "OLDPWD", "_", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO", "DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "RUSTUP_HOME", "PYENV_ROOT", "DOTNET_ROOT" };
            expected.UnionWith(Bubblewrap.SandboxArguments.OfflineEnvironment.Select(v => v.Name));
            Assert.Subset(expected, names);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ANTHROPIC_API_KEY", null);
            Environment.SetEnvironmentVariable("GITHUB_TOKEN", null);
            Environment.SetEnvironmentVariable("CODYBATCH_SANDBOX_TEST_MARKER", null);
        }
    }

    [Fact]
    public async Task Writes_outside_the_tree_land_nowhere_on_the_host()
    {
        var outside = _root.Combine("outside");
        Directory.CreateDirectory(outside);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var marker = $"codybatch-escape-{Guid.NewGuid():N}";
        var script = string.Join("; ", new[]
        {
            $"echo x > {outside}/{marker}", $"echo x > {home}/{marker}", $"echo x > /tmp/{marker}", $"echo x > /usr/{marker}",
            $"echo x > /etc/{marker}", $"echo x > ../{marker}", $"echo x > /{marker}", $"mkdir -p {_root.Path} && echo x > {_root.Path}/{marker}",
            $"echo inside > /repo/{marker}", "echo done",
        });

        var result = await Sandbox.RunAsync(Sandbox.Runner(), Tree, script);

        Assert.Contains("done", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outside, marker)));
        Assert.False(File.Exists(Path.Combine(home, marker)));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), marker)));
        Assert.False(File.Exists(Path.Combine("/usr", marker)));
        Assert.False(File.Exists(Path.Combine("/etc", marker)));
        Assert.False(File.Exists(Path.Combine("/", marker)));
        Assert.False(File.Exists(_root.Combine("run", marker)));
        Assert.False(File.Exists(_root.Combine(marker)));
        Assert.True(File.Exists(Path.Combine(Tree, marker)), "the tree itself is writable");
    }

    [Fact]
    public async Task Nothing_of_the_host_beyond_the_system_folders_is_visible()
    {
        var secretFile = _root.Combine("run", "baseline.git", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(secretFile)!);
        await File.WriteAllTextAsync(secretFile, "data");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        // Without toolchain detection, which would show the service account's toolchain folders (and only those) under its home.
        var result = await Sandbox.RunAsync(Sandbox.Runner(o => o.DetectToolchains = false), Tree, $"ls -a / ; ls {home} {_root.Path} {Path.GetDirectoryName(secretFile)} /etc/shadow /root 2>&1; echo end");

        Assert.Contains("end", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\ndata", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{_root.Path}': No such file or directory", result.Output, StringComparison.Ordinal);
        Assert.Contains("/etc/shadow': No such file or directory", result.Output, StringComparison.Ordinal);
        Assert.Contains("/root': No such file or directory", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_connections_to_loopback_and_to_a_public_address_both_fail()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();
        var script = $$"""
            python3 - <<'PY'
            import socket
            for host, port in (("127.0.0.1", {{port}}), ("1.1.1.1", 443), ("93.184.215.14", 80)):
                s = socket.socket()
                s.settimeout(3)
                try:
                    s.connect((host, port))
                    print("CONNECTED", host)
                except OSError as e:
                    print("FAILED", host, e)
            PY
            ip -o addr 2>/dev/null || cat /proc/net/dev
            """;

        var result = await Sandbox.RunAsync(Sandbox.Runner(), Tree, script);

        Assert.DoesNotContain("CONNECTED", result.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED 127.0.0.1", result.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED 1.1.1.1", result.Output, StringComparison.Ordinal);
        // No route at all: the public address fails at once, so nothing left the machine.
        Assert.Contains("FAILED 1.1.1.1 [Errno 101] Network is unreachable", result.Output, StringComparison.Ordinal);
        Assert.False(accepted.IsCompleted, "the host's listener on 127.0.0.1 was reached");
    }

    [Fact]
    public async Task A_fork_bomb_is_stopped_at_the_process_limit_and_leaves_nothing_running()
    {
        var marker = $"bomb{Guid.NewGuid():N}"[..20];

        // The command's `sleep` outlasts what a test waits: only the limit ends it in time.
        var result = await Sandbox.RunAsync(
            Sandbox.Runner(o => o.MaxProcesses = 64),
            Tree,
            $"{marker}() {{ {marker} | {marker} & }}; {marker}; sleep 600").Expect("The fork bomb stopped at the process limit");

        Assert.Null(result.ExitCode);
        Assert.Contains("process limit of 64", result.Limit, StringComparison.Ordinal);
        Assert.Empty(ProcessesMentioning(marker));
    }

    [Fact]
    public async Task An_endless_loop_is_killed_at_the_time_limit_with_its_children()
    {
        var marker = $"loop-{Guid.NewGuid():N}";

        // The limit is on a real process, so it is real time (see BubblewrapCheckRunner); the loop never
        // ends by itself, so only the limit ends it before the test gives up.
        var result = await Sandbox.RunAsync(
            Sandbox.Runner(o => o.Timeout = TimeSpan.FromSeconds(2)),
            Tree,
            $"(exec -a {marker} sleep 600 &); nohup sh -c 'while :; do :; done' & while :; do :; done").Expect("The loop killed at the time limit");

        Assert.Null(result.ExitCode);
        Assert.Contains("time limit of 2 s", result.Limit, StringComparison.Ordinal);
        Assert.Empty(ProcessesMentioning(marker));
    }

    [Fact]
    public async Task A_check_that_takes_too_much_memory_is_killed_at_the_memory_limit()
    {
        var result = await Sandbox.RunAsync(
            Sandbox.Runner(o => o.MemoryLimitMb = 64),
            Tree,
            "python3 -c \"b = bytearray(512 * 1024 * 1024); print('allocated')\"");

        Assert.Null(result.ExitCode);
        Assert.DoesNotContain("allocated", result.Output, StringComparison.Ordinal);
        Assert.Contains("memory limit of 64 MiB", result.Limit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_trees_parent_deletes_nothing_on_the_host()
    {
        var sibling = _root.Combine("run", "repo", "keep.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(sibling)!);
        await File.WriteAllTextAsync(sibling, "keep");

        var result = await Sandbox.RunAsync(
            Sandbox.Runner(), Tree, $"rm -rf .. /repo/.. {_root.Path} {Path.GetDirectoryName(Tree)} 2>&1; rm -rf --no-preserve-root / 2>/dev/null; echo finished");

        Assert.Contains("finished", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(sibling));
        Assert.True(File.Exists("/usr/bin/env"));
    }

    [Fact]
    public async Task Without_bubblewrap_checks_are_refused_with_a_sentence_and_never_run()
    {
        var runner = Sandbox.Runner(o => o.BubblewrapPath = "/nonexistent/bwrap");
        var marker = Path.Combine(Tree, "ran");

        var reason = await runner.UnavailableReasonAsync(CancellationToken.None);
        var refusal = await Assert.ThrowsAsync<CodyBatch.Core.Checks.CheckSandboxUnavailableException>(() =>
            runner.RunAsync(new CodyBatch.Core.Checks.CheckSession(Tree, [], [new("check", $"touch {marker}")]), CancellationToken.None));

        Assert.Equal(
            "Checks were not run: bubblewrap was not found at \"/nonexistent/bwrap\" (CodyBatch:Checks:BubblewrapPath); install the Debian package bubblewrap (apt-get install bubblewrap), the sandbox checks need.",
            reason);
        Assert.Equal(reason, refusal.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_passing_and_a_failing_check_report_their_exit_codes_and_output()
    {
        var runner = Sandbox.Runner();
        var result = await runner.RunAsync(
            new CodyBatch.Core.Checks.CheckSession(Tree, ["echo setup > made-by-setup"], [new("ok", "cat made-by-setup; exit 0"), new("bad", "echo failing >&2; exit 3")]),
            CancellationToken.None);

        Assert.Equal(0, Assert.Single(result.Setup).ExitCode);
        Assert.Equal(0, result.Checks[0].ExitCode);
        Assert.Contains("setup", result.Checks[0].Output, StringComparison.Ordinal);
        Assert.Equal(3, result.Checks[1].ExitCode);
        Assert.Contains("failing", result.Checks[1].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_setup_stops_the_session_and_says_so_on_each_check()
    {
        var result = await Sandbox.Runner().RunAsync(
            new CodyBatch.Core.Checks.CheckSession(Tree, ["exit 7"], [new("test", "touch ran")]), CancellationToken.None);

        Assert.Equal(7, Assert.Single(result.Setup).ExitCode);
        var check = Assert.Single(result.Checks);
        Assert.Null(check.ExitCode);
        Assert.Equal("Not run: setup `exit 7` failed (exit code 7).", check.Limit);
        Assert.False(File.Exists(Path.Combine(Tree, "ran")));
    }

    public void Dispose() => _root.Dispose();

    // Read once the command's result is back: by then its cgroup is empty, so whatever it started has exited.
    private static List<string> ProcessesMentioning(string marker)
    {
        var found = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var command = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (command.Contains(marker, StringComparison.Ordinal) && !command.Contains("dotnet", StringComparison.Ordinal))
                {
                    found.Add(command);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
