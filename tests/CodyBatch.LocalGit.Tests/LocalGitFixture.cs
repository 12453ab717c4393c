using Microsoft.Extensions.Options;

namespace CodyBatch.LocalGit.Tests;

/// <summary>A temp folder with a workspace factory and a local-git host for one test.</summary>
public abstract class LocalGitFixture : IDisposable
{
    protected LocalGitFixture()
    {
        Workspaces = Factory(new WorkspaceOptions());
    }

    protected TempDirectory Root { get; } = new("codybatch-localgit");

    protected WorkspaceFactory Workspaces { get; }

    protected LocalGitRepositoryHost Host { get; } = new(Options.Create(new LocalGitOptions { AuthorName = "Batch Bot", AuthorEmail = "bot@example.test" }));

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Root.Dispose();
        }
    }

    protected WorkspaceFactory Factory(WorkspaceOptions limits) =>
        new(Options.Create(new CodyBatchOptions { DataDirectory = Root.Combine("data") }), Options.Create(limits), new GitCommandLine());

    /// <summary>Resolves <paramref name="source"/>, fetches it into a new workspace and baselines it.</summary>
    protected async Task<(ResolvedRepository Resolved, Workspace Workspace)> CheckOutAsync(string source, WorkspaceFactory? factory = null)
    {
        var resolved = await Host.ResolveAsync(source, CancellationToken.None);
        var workspace = (factory ?? Workspaces).Create("01jobjobjobjobjobjobjobjob", resolved.FullName, 1);
        await Host.FetchSnapshotAsync(resolved, workspace.RepositoryPath, CancellationToken.None);
        await workspace.BaselineAsync(CancellationToken.None);
        return (resolved, workspace);
    }
}
