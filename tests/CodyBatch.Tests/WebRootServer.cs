namespace CodyBatch.Tests;

/// <summary>The server in memory with a small built web UI in its web root: an index page and one script.</summary>
internal sealed class WebRootServer : IDisposable
{
    public WebRootServer()
    {
        File.WriteAllText(Web.Combine("index.html"), "<!doctype html><title>Cody Batch</title><div id=root></div>");
        Directory.CreateDirectory(Web.Combine("assets"));
        File.WriteAllText(Web.Combine("assets", "app.js"), "console.log('app')");
        Factory.Settings["CodyBatch:WebRoot"] = Web.Path;
    }

    /// <summary>The web root the server serves.</summary>
    public TempDirectory Web { get; } = new("codybatch-web");

    public ApiFactory Factory { get; } = new();

    public void Dispose()
    {
        Factory.Dispose();
        Web.Dispose();
    }
}
