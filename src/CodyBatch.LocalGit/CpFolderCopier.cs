using System.Diagnostics;
using CodyBatch.Core.Checks;

namespace CodyBatch.LocalGit;

/// <summary>
/// <see cref="IFolderCopier"/> with <c>cp -a</c>: links as links, modes and times kept, and special files
/// recreated rather than opened, so a FIFO a check left behind cannot block the copy.
/// </summary>
public sealed class CpFolderCopier : IFolderCopier
{
    /// <inheritdoc />
    public async Task CopyAsync(string source, string target, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("cp") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-a", "--", Path.Combine(source, "."), target })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new IOException("cp could not be started.");
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new IOException($"Could not copy the workspace for the checks: {error.Trim()}");
        }
    }
}
