namespace CodyBatch.Sandbox.Tests;

/// <summary>
/// The folders of one sandboxed run in a temporary folder of its own, created at once: the repository the shell works
/// in, the run's home, and the socket an egress proxy listens on (not created).
/// </summary>
internal sealed class RunFolders : IDisposable
{
    private readonly TempDirectory _root;

    public RunFolders(string name)
    {
        _root = new TempDirectory(name);
        Directory.CreateDirectory(Repository);
        Directory.CreateDirectory(Home);
    }

    public string Repository => _root.Combine("run", "repo");

    public string Home => _root.Combine("run", "home");

    public string Socket => _root.Combine("proxy.sock");

    public void Dispose() => _root.Dispose();
}
