using CodyBatch.Core.Repositories;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace CodyBatch.Tests;

/// <summary>
/// The real <c>codybatch serve</c> host in memory, on a data folder of its own, with the test
/// repository host and a scripted agent in place of GitHub and Claude.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _data = new("codybatch-api");

    /// <summary>The server's data folder (its SQLite file and artifacts).</summary>
    public string DataPath => _data.Path;

    public FakeRepositoryHost Repositories { get; } = new FakeRepositoryHost().AddSimple("acme/api", "acme/web", "acme/docs");

    /// <summary>What the agent does; replace before the first request.</summary>
    public ICodeAgent Agent { get; set; } = ScriptedCodeAgent.AppendingTo("README.md");

    /// <summary>False to keep the real repository hosts (GitHub against a fake server, say).</summary>
    public bool UseFakeRepositoryHost { get; set; } = true;

    /// <summary>Extra service registrations (a fake clock for one service, say); set before the first request.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Extra configuration; set before the first request.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodyBatch:DataDirectory"] = _data.Path,
            ["CodyBatch:Worker:PollInterval"] = "00:00:00.050",
            ["CodyBatch:Worker:LeaseDuration"] = "00:00:03",
        }).AddInMemoryCollection(Settings));
        builder.ConfigureTestServices(services =>
        {
            if (UseFakeRepositoryHost)
            {
                services.AddSingleton<IRepositoryHost>(Repositories);
                services.AddSingleton<Core.Publishing.IOpenPullRequests>(Repositories);
            }

            services.AddSingleton(_ => Agent);
            ConfigureServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
