using System.Diagnostics;
using System.Text;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Workspaces;

/// <summary>Runs the <c>git</c> command line with no user or system configuration in play.</summary>
public static class Git
{
    /// <summary>Runs git with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; returns standard output, throws on a non-zero exit.</summary>
    public static async Task<string> RunAsync(
        string workingDirectory, IEnumerable<string> arguments, CancellationToken cancellationToken, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // Defaults that make results independent of whoever runs the process.
        foreach (var setting in new[]
        {
            "core.autocrlf=false", "core.safecrlf=false", "core.quotepath=false", "core.fileMode=true",
            "core.symlinks=true", "user.name=Cody Batch", "user.email=codybatch@localhost",
            "commit.gpgSign=false", "init.defaultBranch=main", "advice.detachedHead=false",
        })
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(setting);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new RunFailedException("git could not be started; install git on the worker.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var stdout = await output;
        var stderr = await error;
        if (process.ExitCode != 0)
        {
            throw new GitException(process.ExitCode, stderr.Trim());
        }

        return stdout;
    }
}
