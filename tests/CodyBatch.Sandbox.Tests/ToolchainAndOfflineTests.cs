namespace CodyBatch.Sandbox.Tests;

/// <summary>
/// Toolchain roots outside /usr (a folder in a home closed to others, shown read-only at its own path and on PATH), a
/// toolchain no root provides (reported as such), and commands without network failing at once for the reason that
/// they have none (a refused connection, no retries) rather than waiting.
/// </summary>
public sealed class ToolchainAndOfflineTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-toolchains");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_toolchain_root_in_a_closed_home_is_on_path_read_only_with_its_variables()
    {
        // A home only its owner may enter, as the service account's is: the sandbox's user could not reach it by itself.
        var home = _root.Combine("home");
        var cargoBin = Path.Combine(home, ".cargo", "bin");
        var rustup = Path.Combine(home, ".rustup");
        Directory.CreateDirectory(cargoBin);
        Directory.CreateDirectory(rustup);
        await File.WriteAllTextAsync(Path.Combine(rustup, "settings.toml"), "default_toolchain = \"stable\"\n");
        await File.WriteAllTextAsync(Path.Combine(cargoBin, "fakecargo"), "#!/bin/sh\necho \"fakecargo 1.0 from $0 with $(cat \"$RUSTUP_HOME/settings.toml\")\"\n");
        File.SetUnixFileMode(Path.Combine(cargoBin, "fakecargo"), (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(home, ".cargo", "credentials.toml"), "token = \"secret-cargo-token\"\n");
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var tree = _root.Combine("tree");
        Directory.CreateDirectory(tree);
        var runner = Sandbox.Runner(o =>
        {
            o.DetectToolchains = false;
            o.ToolchainRoots = [cargoBin, rustup];
        });

        var result = await Sandbox.RunAsync(runner, tree, $"fakecargo; echo \"PATH=$PATH\"; cat {home}/.cargo/credentials.toml; touch {cargoBin}/planted && echo planted");

        Assert.True(result.ExitCode != 127, result.Output);
        Assert.Contains($"fakecargo 1.0 from {cargoBin}/fakecargo with default_toolchain = \"stable\"", result.Output, StringComparison.Ordinal);
        Assert.Contains($"PATH={cargoBin}:/usr/local/sbin:", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-cargo-token", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\nplanted", result.Output, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cargoBin, "planted")));
    }

    [Fact]
    public void Detection_finds_rustup_pyenv_and_a_user_dotnet_in_the_home_and_not_what_is_missing()
    {
        var home = _root.Combine("detect");
        Directory.CreateDirectory(Path.Combine(home, ".cargo", "bin"));
        Directory.CreateDirectory(Path.Combine(home, ".rustup"));
        Directory.CreateDirectory(Path.Combine(home, ".pyenv", "shims"));
        Directory.CreateDirectory(Path.Combine(home, ".pyenv", "bin"));
        Directory.CreateDirectory(Path.Combine(home, ".pyenv", "versions", "3.11.7", "bin"));
        File.WriteAllText(Path.Combine(home, ".pyenv", "version"), "3.11.7\nsystem\n");
        Directory.CreateDirectory(Path.Combine(home, ".dotnet"));
        File.WriteAllText(Path.Combine(home, ".dotnet", "dotnet"), "");

        var found = Toolchains.Resolve(new CheckOptions(), home, dotnetRoot: "");
        var off = Toolchains.Resolve(new CheckOptions { DetectToolchains = false }, home, dotnetRoot: "");

        Assert.Equal([$"{home}/.cargo/bin", $"{home}/.rustup", $"{home}/.pyenv", $"{home}/.dotnet"], found.Roots);
        Assert.Equal([$"{home}/.cargo/bin", $"{home}/.pyenv/versions/3.11.7/bin", $"{home}/.pyenv/shims", $"{home}/.pyenv/bin", $"{home}/.dotnet"], found.Paths.Where(p => p.StartsWith(home, StringComparison.Ordinal)));
        Assert.Contains(("RUSTUP_HOME", $"{home}/.rustup"), found.Variables);
        Assert.Contains(("PYENV_ROOT", $"{home}/.pyenv"), found.Variables);
        Assert.Contains(("DOTNET_ROOT", $"{home}/.dotnet"), found.Variables);
        Assert.Empty(off.Roots);
        Assert.Empty(off.Paths);
    }

    [Fact]
    public void A_relative_toolchain_root_stops_the_start_with_a_sentence_naming_the_setting()
    {
        var options = new CheckOptions { ToolchainRoots = ["opt/rust/bin"] };

        var problems = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains("CodyBatch:Checks:ToolchainRoots holds \"opt/rust/bin\", which is not an absolute path", Assert.Single(problems).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_no_root_provides_is_reported_as_a_missing_toolchain()
    {
        var tree = _root.Combine("tree");
        Directory.CreateDirectory(tree);
        var runner = Sandbox.Runner(o => o.DetectToolchains = false);

        var result = await Sandbox.RunAsync(runner, tree, "cargo test");

        Assert.Equal(127, result.ExitCode);
        Assert.StartsWith("cargo not found: no toolchain root provides it", EnvironmentFailure.Reason(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_network_a_registry_connection_is_refused_at_once_and_package_managers_do_not_retry()
    {
        var tree = _root.Combine("tree");
        Directory.CreateDirectory(tree);
        await File.WriteAllTextAsync(Path.Combine(tree, "package.json"), """{ "name": "app", "version": "1.0.0", "dependencies": { "left-pad": "1.3.0" } }""");
        var runner = Sandbox.Runner(o => o.DetectToolchains = false);

        var curl = await Sandbox.RunAsync(runner, tree, "curl -sS https://registry.npmjs.org/left-pad");
        var npm = await Sandbox.RunAsync(runner, tree, "npm install --no-audit --no-fund --loglevel http 2>&1; rc=$?; echo \"retries=$npm_config_fetch_retries nuget=$NUGET_ENHANCED_MAX_NETWORK_TRY_COUNT pip=$PIP_RETRIES go=$GOPROXY\"; exit $rc");

        Assert.NotEqual(0, curl.ExitCode);
        Assert.Contains("Failed to connect to 127.0.0.1 port 9", curl.Output, StringComparison.Ordinal);
        Assert.Contains("Couldn't connect to server", curl.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, npm.ExitCode);
        Assert.Contains("ECONNREFUSED", npm.Output, StringComparison.Ordinal);
        Assert.Contains("retries=0 nuget=1 pip=0 go=off", npm.Output, StringComparison.Ordinal);
        Assert.StartsWith("a package registry or other host could not be reached", EnvironmentFailure.Reason(curl), StringComparison.Ordinal);
        Assert.StartsWith("a package registry or other host could not be reached", EnvironmentFailure.Reason(npm), StringComparison.Ordinal);
    }
}
