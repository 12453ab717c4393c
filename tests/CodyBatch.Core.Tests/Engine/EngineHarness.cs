using CodyBatch.Core;
using CodyBatch.Core.Artifacts;
using CodyBatch.Core.Repositories;
using CodyBatch.LocalGit;
using CodyBatch.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Core.Tests.Engine;

/// <summary>
/// The engine as <c>codybatch serve</c> composes it (Core, SQLite store, file artifacts, worker),
/// with a test repository host and a scripted agent behind it, on a data folder of its own.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private JobWorker? _resumed;

    private EngineHarness(IHost host, string dataDirectory)
    {
        _host = host;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public IServiceProvider Services => _host.Services;

    public JobService Jobs => Services.GetRequiredService<JobService>();

    public IJobStore Store => Services.GetRequiredService<IJobStore>();

    private ObservedJobStore Observed => (ObservedJobStore)Store;

    public IArtifactStore Artifacts => Services.GetRequiredService<IArtifactStore>();

    public static async Task<EngineHarness> StartAsync(
        string dataDirectory,
        IRepositoryHost host,
        ICodeAgent agent,
        IDictionary<string, string?>? settings = null,
        bool worker = true,
        bool paused = false,
        Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodyBatch:DataDirectory"] = dataDirectory,
            ["CodyBatch:Worker:PollInterval"] = "00:00:00.050",
            ["CodyBatch:Worker:LeaseDuration"] = "00:00:03",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCodyBatchCore(worker && !paused);
        builder.Services.AddLocalGit();
        builder.Services.AddSqliteStorage();
        builder.Services.AddSingleton<IJobStore>(sp => new ObservedJobStore(sp.GetRequiredService<SqliteJobStore>()));
        builder.Services.AddSingleton(host);
        builder.Services.AddSingleton(agent);
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        await app.StartAsync();
        return new EngineHarness(app, dataDirectory);
    }

    public async Task<Job> CreateJobAsync(string prompt, string mode, params string[] repositories)
    {
        var request = new JobRequest { Prompt = prompt, Repositories = repositories, Mode = mode };
        var (job, validation) = await Jobs.CreateAsync(request, CancellationToken.None);
        Assert.True(job is not null, string.Join("; ", validation.Errors.SelectMany(e => e.Value)));
        return job;
    }

    public Task<Job> CreateAsync(params string[] repositories) => CreateJobAsync("Append a line", "pullRequest", repositories);

    /// <summary>The job once <paramref name="condition"/> holds: read again after each write to the store, never on a clock.</summary>
    public Task<Job> WaitForAsync(string jobId, Func<Job, bool> condition) => Observed.WaitForAsync(jobId, condition);

    public Task<Job> WaitForEndAsync(string jobId) => WaitForAsync(jobId, job => job.Runs.All(r => r.Status.IsFinal()));

    public async Task<string> ReadArtifactAsync(string key)
    {
        await using var stream = await Artifacts.OpenReadAsync(key, CancellationToken.None) ?? throw new InvalidOperationException($"No artifact {key}.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Starts the worker of a harness started paused, so that tests can queue work first.</summary>
    public async Task ResumeAsync()
    {
        _resumed = Services.GetRequiredService<JobWorker>();
        await _resumed.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_resumed is not null)
        {
            await _resumed.StopAsync(CancellationToken.None);
            _resumed = null;
        }

        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
