using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Environments;

/// <summary>
/// Opens a run's environment beside its workspace: the one home (<c>home/</c> in the run's folder, <c>/tmp</c> and
/// <c>HOME</c> inside the sandbox) that setup, checks and shell share; the egress proxy when the job may reach the
/// registries (every refusal goes into the thread); and the shell Claude gets when the server and the job allow one
/// and the sandbox works here.
/// </summary>
public sealed partial class RunEnvironments(
    IShellSessionFactory shells,
    IEgressProxyFactory proxies,
    IOptions<ShellOptions> options,
    IOptions<EgressOptions> egress,
    IOptions<CacheOptions> caches,
    IDependencyCacheStore cacheStore,
    SecretRedactor redactor,
    ILogger<RunEnvironments> logger)
{
    private const string HomeFolder = "home";

    /// <summary>
    /// Opens the environment of a run whose workspace is <paramref name="workspace"/>: <paramref name="snapshotCommit"/>
    /// is the commit its read-only git view stands for, and <paramref name="repository"/> (the run's repository) what its
    /// dependency caches are keyed by.
    /// </summary>
    public async Task<RunEnvironment> OpenAsync(
        Job job, Workspace workspace, AgentThread thread, CancellationToken cancellationToken, string? snapshotCommit = null, string? repository = null)
    {
        var home = Path.Combine(workspace.RootPath, HomeFolder);
        Directory.CreateDirectory(home);
        var (network, proxy) = await NetworkAsync(job, home, thread, cancellationToken);
        string? gitView = null;
        try
        {
            gitView = await workspace.CreateGitViewAsync(snapshotCommit, cancellationToken);
        }
        catch (Runs.RunFailedException e)
        {
            // Without the view, tools that read git find none, as before; the run goes on and the thread says why.
            thread.Add("git_view", new JsonObject { ["unavailable"] = e.Message });
        }
        catch
        {
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }

            throw;
        }

        var shell = await ShellAsync(job, workspace, home, network, gitView, thread, cancellationToken);
        return new RunEnvironment(home, network, shell, proxy)
        {
            GitViewPath = gitView,
            Caches = caches.Value.Enabled && repository is not null ? new RunCaches(cacheStore, repository, home, thread) { KeepsInstalledTrees = caches.Value.InstalledTrees } : null,
        };
    }

    private async Task<(SandboxNetwork, IAsyncDisposable?)> NetworkAsync(Job job, string home, AgentThread thread, CancellationToken cancellationToken)
    {
        var domains = egress.Value.AllowedDomains.Where(d => !string.IsNullOrWhiteSpace(d)).ToList();
        var registries = egress.Value.PrivateRegistries;
        if (job.Network == JobNetwork.None || egress.Value.Network == JobNetwork.None || (domains.Count == 0 && registries.Count == 0))
        {
            var reason = job.Network == JobNetwork.None
                ? "the job asked for no network"
                : egress.Value.Network == JobNetwork.None ? "the server allows no network (CodyBatch:Egress:Network)" : "the server allows no domain and no private registry (CodyBatch:Egress:AllowedDomains, PrivateRegistries)";
            thread.Add("network", new JsonObject { ["mode"] = "none", ["reason"] = reason });
            return (SandboxNetwork.None, null);
        }

        // A Unix socket path must stay short (108 bytes), so it lives in a private folder of its own, not in the workspace.
        var folder = Directory.CreateTempSubdirectory("cb-egress-");
        var socket = Path.Combine(folder.FullName, "proxy.sock");
        var seen = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        var proxy = await proxies.StartAsync(socket, domains, decision =>
        {
            var key = $"{decision.Host}:{decision.Port}:{decision.Allowed}";
            if (decision.Allowed && !seen.TryAdd(key, true))
            {
                return;
            }

            if (!decision.Allowed)
            {
                LogRefused(logger, job.Id, decision.Host, decision.Port, decision.Reason ?? "");
            }

            thread.Add("egress", new JsonObject { ["host"] = decision.Host, ["port"] = decision.Port, ["allowed"] = decision.Allowed, ["reason"] = decision.Reason });
        }, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            // The sandbox's identity may not be this process's: it may pass through the folder (by its random name) but not list it.
            File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_001_001);
        }

        // The package managers in the sandbox find the private registries at their loopback URLs; the credential stays here.
        RegistryConfiguration.Write(home, registries);
        thread.Add("network", new JsonObject
        {
            ["mode"] = "registries",
            ["allowedDomains"] = new JsonArray([.. domains.Select(d => (JsonNode)d)]),
            ["privateRegistries"] = new JsonArray([.. registries.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["ecosystem"] = r.Ecosystem, ["url"] = RegistryConfiguration.LoopbackUrl(r) })]),
        });
        // What the system prompt names: the domains, and each private registry at its loopback URL (already configured).
        var reach = domains.Concat(registries.Select(r => $"the private {r.Ecosystem} registry {RegistryConfiguration.LoopbackUrl(r)} (already configured for {r.Ecosystem} in HOME)")).ToList();
        return (new SandboxNetwork(socket, reach), new Folder(proxy, folder.FullName));
    }

    private async Task<RunShell?> ShellAsync(
        Job job, Workspace workspace, string home, SandboxNetwork network, string? gitView, AgentThread thread, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var reason = !settings.Enabled
            ? "The shell is turned off on this server (CodyBatch:Shell:Enabled)."
            : job.Shell == false
                ? "The shell is turned off for this job (shell: false)."
                : await shells.UnavailableReasonAsync(cancellationToken);
        if (reason is not null)
        {
            LogNoShell(logger, job.Id, reason);
            thread.Add("shell", new JsonObject { ["unavailable"] = reason });
            return null;
        }

        return new RunShell(shells, new ShellSessionRequest(workspace.RepositoryPath, home, network) { GitViewPath = gitView }, settings, thread, redactor);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: no shell for this run: {Reason}")]
    private static partial void LogNoShell(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: egress to {Host}:{Port} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string jobId, string host, int port, string reason);

    // The proxy, and the private folder its socket lives in.
    private sealed class Folder(IAsyncDisposable proxy, string path) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await proxy.DisposeAsync();
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // A leftover empty folder in the temporary folder is harmless.
            }
        }
    }
}
