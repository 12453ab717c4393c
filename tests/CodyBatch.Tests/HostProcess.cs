using System.Diagnostics;

namespace CodyBatch.Tests;

/// <summary>A .NET program from the build output started as a real process, with its output kept for diagnosis.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process)
    {
        _process = process;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            _address.TrySetException(new InvalidOperationException("The host exited before it listened."));
            _started.TrySetException(new InvalidOperationException("The host exited before it started."));
        };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Awaits the host's start ("Now listening on", then "Application started") and returns the address it
    /// listens on. Start a host with <c>--urls http://127.0.0.1:0</c>: the system then picks a free port at
    /// the bind itself, so no other process can take it between a pick and the bind.
    /// </summary>
    public async Task<Uri> ListeningAsync()
    {
        try
        {
            await Task.WhenAll(_address.Task, _started.Task).WaitAsync(HangGuard.Limit);
            return await _address.Task;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new Xunit.Sdk.XunitException($"The host did not start listening ({e.Message}):\n{Output}");
        }
    }

    /// <summary>A client of the started host (see <see cref="ListeningAsync"/>).</summary>
    public async Task<HttpClient> ClientAsync() => new() { BaseAddress = await ListeningAsync() };

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="assembly"/> (a dll next to this test's or in a sibling project's output) with <paramref name="arguments"/>.</summary>
    public static HostProcess Start(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>The assembly of a sibling test project built in the same configuration as this one.</summary>
    public static string SiblingAssembly(string project)
    {
        // .../tests/CodyBatch.Tests/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(TestEnvironment.RepositoryRoot(), "tests", project, "bin", here.Parent!.Name, here.Name, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first; {path} is missing.");
    }

    /// <summary>Ends the process the hard way: SIGKILL, no shutdown code runs.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string Listening = "Now listening on: ";
        if (line.IndexOf(Listening, StringComparison.Ordinal) is var at and >= 0 && Uri.TryCreate(line[(at + Listening.Length)..].Trim(), UriKind.Absolute, out var address))
        {
            _address.TrySetResult(address);
        }
        else if (line.Contains("Application started.", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }
}
