namespace CodyBatch.Tests;

/// <summary>
/// One real <c>codybatch serve</c> process (Kestrel, the whole middleware, a web root, no worker) on a data folder of
/// its own, shared by the tests of a class that only read from it: what a test sends byte for byte reaches the real
/// server, and the process starts once per class instead of once per case.
/// </summary>
public sealed class ServeProcess : IAsyncLifetime
{
    private readonly TempDirectory _data = new("codybatch-serve");
    private readonly TempDirectory _web = new("codybatch-web");
    private HostProcess _server = null!;

    /// <summary>A client of the server, at its address.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The port the server listens on.</summary>
    public int Port => Client.BaseAddress!.Port;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_web.Combine("index.html"), "<!doctype html><title>Cody Batch</title>");
        _server = HostProcess.Start(
            Path.Combine(AppContext.BaseDirectory, "codybatch.dll"),
            ["serve", "--urls", "http://127.0.0.1:0", "--CodyBatch:DataDirectory", _data.Path, "--CodyBatch:Worker:Enabled", "false", "--CodyBatch:WebRoot", _web.Path]);
        Client = await _server.ClientAsync();
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        _server.Dispose();
        _web.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }
}
