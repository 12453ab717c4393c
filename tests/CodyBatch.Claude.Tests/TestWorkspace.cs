using CodyBatch.LocalGit;

namespace CodyBatch.Claude.Tests;

/// <summary>Workspaces as the engine makes them, for tests of the agent and its tools.</summary>
internal static class TestWorkspace
{
    /// <summary>A fresh workspace for <c>octo/app</c> under <paramref name="dataDirectory"/>, with the default limits; not yet baselined.</summary>
    public static Workspace Create(string dataDirectory) =>
        new WorkspaceFactory(Options.Create(new CodyBatchOptions { DataDirectory = dataDirectory }), Options.Create(new WorkspaceOptions()), new GitCommandLine())
            .Create("01jobjobjobjobjobjobjobjob", "octo/app", 1);
}
