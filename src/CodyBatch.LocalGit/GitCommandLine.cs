using System.Buffers;
using System.Diagnostics;
using System.Text;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;

namespace CodyBatch.LocalGit;

/// <summary>
/// The one way Cody Batch runs the <c>git</c> command line: with no user or system configuration,
/// no hooks (<c>core.hooksPath</c> is <c>/dev/null</c>, where no hook can exist), no file-system
/// monitor, no attribute file of the host, no transport (so no helper or promisor fetch can start),
/// no credential helper, no replace refs, and an environment made from nothing: no token or other
/// variable of Cody Batch's reaches git or anything git could start. A repository's own config is
/// read only by the commands that run in a user's repository (resolving and moving a ref), where the
/// settings above, given on the command line, override it; <c>safe.directory</c> names only the
/// repository the caller trusts. It is the process behind Core's <see cref="IGitCommands"/> port and
/// the local repository host's own git work.
/// </summary>
public sealed class GitCommandLine : IGitCommands
{
    /// <summary>Settings given on every command line; they take precedence over any repository's config.</summary>
    public static readonly IReadOnlyList<string> HardenedSettings =
    [
        "core.hooksPath=/dev/null", "core.fsmonitor=false", "core.untrackedCache=false", "core.attributesFile=/dev/null",
        "protocol.allow=never", "credential.helper=",
        "core.autocrlf=false", "core.safecrlf=false", "core.quotepath=false", "core.fileMode=true",
        "core.symlinks=true", "user.name=Cody Batch", "user.email=codybatch@localhost",
        "commit.gpgSign=false", "tag.gpgSign=false", "init.defaultBranch=main", "advice.detachedHead=false",
    ];

    /// <summary>
    /// Runs git with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; returns standard
    /// output, throws <see cref="GitException"/> on a non-zero exit, and <see cref="GitOutputTooLargeException"/>
    /// (after stopping git) when the output passes <paramref name="maxOutputChars"/>. <paramref name="safeDirectory"/>
    /// is the one repository of another owner git may open (a local repository the job names); none otherwise.
    /// </summary>
    public static async Task<string> RunAsync(
        string workingDirectory,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        IDictionary<string, string>? environment = null,
        long? maxOutputChars = null,
        string? safeDirectory = null)
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
        // An empty value resets the list; then only the named repository is trusted.
        IEnumerable<string> settings = safeDirectory is null ? [.. HardenedSettings, "safe.directory="] : [.. HardenedSettings, "safe.directory=", $"safe.directory={safeDirectory}"];
        foreach (var setting in settings)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(setting);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var systemRoot = Environment.GetEnvironmentVariable("SystemRoot");
        start.Environment.Clear();
        if (OperatingSystem.IsWindows() && systemRoot is not null)
        {
            start.Environment["SystemRoot"] = systemRoot;
        }

        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = "/nonexistent";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_ATTR_NOSYSTEM"] = "1";
        start.Environment["GIT_NO_REPLACE_OBJECTS"] = "1";
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
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
        RunWorkPriority.Lower(process);
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

        // A pooled buffer: a new 128 KB one per command would land on the large object heap, and enough of those
        // start full (gen2) collections that pause the server.
        var text = new StringBuilder();
        var buffer = ArrayPool<char>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (text.Length + read > limit)
                {
                    throw new GitOutputTooLargeException(limit.Value);
                }

                text.Append(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        return text.ToString();
    }
}
