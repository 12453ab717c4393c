using System.Diagnostics;
using System.Text;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;

namespace CodyBatch.LocalGit;

/// <summary>
/// Runs the <c>git</c> command line with no user or system configuration in play: the process behind
/// Core's <see cref="IGitCommands"/> port, and the local repository host's own git work.
/// </summary>
public sealed class GitCommandLine : IGitCommands
{
    /// <summary>
    /// Runs git with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; returns standard
    /// output, throws <see cref="GitException"/> on a non-zero exit, and <see cref="GitOutputTooLargeException"/>
    /// (after stopping git) when the output passes <paramref name="maxOutputChars"/>.
    /// </summary>
    public static async Task<string> RunAsync(
        string workingDirectory,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        IDictionary<string, string>? environment = null,
        long? maxOutputChars = null)
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
            // Local repositories may belong to another user of the machine; reading them is the point.
            "safe.directory=*",
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

        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RunFailedException("git could not be started; install git on this machine (it records and applies changes).", e);
        }

        using var process = started ?? throw new RunFailedException("git could not be started; install git on this machine (it records and applies changes).");
        process.StandardInput.Close();
        var output = ReadAsync(process.StandardOutput, maxOutputChars, cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await output;
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or GitOutputTooLargeException)
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

    /// <inheritdoc />
    Task<string> IGitCommands.RunAsync(
        string workingDirectory, IEnumerable<string> arguments, CancellationToken cancellationToken, IDictionary<string, string>? environment, long? maxOutputChars) =>
        RunAsync(workingDirectory, arguments, cancellationToken, environment, maxOutputChars);

    private static async Task<string> ReadAsync(StreamReader reader, long? limit, CancellationToken cancellationToken)
    {
        if (limit is null)
        {
            return await reader.ReadToEndAsync(cancellationToken);
        }

        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (text.Length + read > limit)
            {
                throw new GitOutputTooLargeException(limit.Value);
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }
}
