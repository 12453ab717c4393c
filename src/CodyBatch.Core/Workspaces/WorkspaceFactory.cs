using CodyBatch.Core.Configuration;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Workspaces;

/// <summary>Creates fresh, private workspaces under <c>DataDirectory/workspaces</c>.</summary>
public sealed class WorkspaceFactory(IOptions<CodyBatchOptions> options, IOptions<WorkspaceOptions> limits, IGitCommands git)
{
    /// <summary>A new empty workspace for one attempt of one run.</summary>
    public Workspace Create(string jobId, string repository, int attempt)
    {
        var name = $"{jobId}-{repository.Replace('/', '-')}-{attempt}-{Guid.NewGuid():N}";
        var root = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "workspaces", name);
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new Workspace(root, limits.Value, git);
    }
}
