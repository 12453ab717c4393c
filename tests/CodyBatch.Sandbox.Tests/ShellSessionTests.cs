namespace CodyBatch.Sandbox.Tests;

/// <summary>The persistent shell session: state between commands, output, exit codes, restart.</summary>
public sealed class ShellSessionTests : IDisposable
{
    private readonly RunFolders _run = new("codybatch-shell");

    [Fact]
    public async Task The_working_directory_variables_and_functions_carry_over_between_commands()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home);

        var first = await session.RunAsync("mkdir -p sub/dir && cd sub/dir && export GREETING=hello && COUNT=3 && greet() { echo \"$GREETING $1\"; }", CancellationToken.None);
        var second = await session.RunAsync("pwd; echo \"$GREETING $COUNT\"; greet world; echo written > here.txt", CancellationToken.None);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal("/repo/sub/dir\nhello 3\nhello world\n", second.Output);
        Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Combine(_run.Repository, "sub", "dir", "here.txt")));
    }

    [Fact]
    public async Task A_file_another_tool_wrote_is_handed_to_the_sandbox_before_the_next_command_once_the_write_is_noted()
    {
        var request = new Core.Environments.ShellSessionRequest(_run.Repository, _run.Home, Core.Environments.SandboxNetwork.None);
        var factory = Shell.Factory();
        await using var session = await factory.StartAsync(request, CancellationToken.None);
        await session.RunAsync("true", CancellationToken.None);

        // As Cody Batch's editing tools do: written by this process, then noted.
        await File.WriteAllTextAsync(Path.Combine(_run.Repository, "edited.txt"), "by the editor\n");
        request.Writes.Note();
        var append = await session.RunAsync("echo 'by the shell' >> edited.txt && cat edited.txt", CancellationToken.None);
        var again = await session.RunAsync("true", CancellationToken.None);

        Assert.True(append.ExitCode == 0, append.Output);
        Assert.Equal("by the editor\nby the shell\n", append.Output);
        Assert.Equal(0, again.ExitCode);
        Assert.False(request.Writes.Take());
    }

    [Fact]
    public async Task Exit_codes_and_stderr_come_back_and_exit_does_not_end_the_session()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home);

        var failed = await session.RunAsync("echo out; echo err >&2; exit 7", CancellationToken.None);
        var missing = await session.RunAsync("no-such-command-here", CancellationToken.None);
        var after = await session.RunAsync("echo still here", CancellationToken.None);

        Assert.Equal(7, failed.ExitCode);
        Assert.Null(failed.Limit);
        Assert.Equal("out\nerr\n", failed.Output);
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("command not found", missing.Output, StringComparison.Ordinal);
        Assert.Equal(0, after.ExitCode);
        Assert.Equal("still here\n", after.Output);
    }

    [Fact]
    public async Task A_command_cannot_fake_the_end_of_its_output_or_read_the_next_command()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home);

        // Reads stdin (empty) and prints what looks like the end marker of a command.
        var result = await session.RunAsync("cat; printf '00000000000000000000000000000000:0\\n'; echo tail", CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("00000000000000000000000000000000:0\ntail\n", result.Output);
    }

    [Fact]
    public async Task Restart_gives_a_fresh_shell_in_repo_with_no_variables()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home);
        await session.RunAsync("cd / && export LEFT=over", CancellationToken.None);

        await session.RestartAsync(CancellationToken.None);
        var result = await session.RunAsync("pwd; echo \"[$LEFT]\"", CancellationToken.None);

        Assert.Equal("/repo\n[]\n", result.Output);
    }

    [Fact]
    public async Task Home_and_tmp_are_the_runs_home_folder_on_the_host()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home);

        var result = await session.RunAsync("echo \"$HOME $TMPDIR\"; echo cached > ~/.cache-file; echo temp > /tmp/t", CancellationToken.None);

        Assert.Equal("/tmp /tmp\n", result.Output);
        Assert.Equal("cached\n", await File.ReadAllTextAsync(Path.Combine(_run.Home, ".cache-file")));
        Assert.Equal("temp\n", await File.ReadAllTextAsync(Path.Combine(_run.Home, "t")));
    }

    public void Dispose() => _run.Dispose();
}
