using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Environments;

/// <summary>
/// The run's environment beside its workspace: the one home (<c>home/</c> in the run's folder, <c>/tmp</c> and
/// <c>HOME</c> inside the sandbox) that setup, checks and shell share, and the shell Claude gets, when the server
/// and the job allow one and the sandbox works here.
/// </summary>
public sealed partial class RunEnvironments(
    IShellSessionFactory shells, IOptions<ShellOptions> options, SecretRedactor redactor, ILogger<RunEnvironments> logger)
{
    private const string HomeFolder = "home";

    /// <summary>The run's home folder on the host, made when first asked for.</summary>
    public static string HomePath(Workspace workspace)
    {
        var home = Path.Combine(workspace.RootPath, HomeFolder);
        Directory.CreateDirectory(home);
        return home;
    }

    /// <summary>The run's shell, or null (the reason goes into the thread) when the server or the job turned it off or no sandbox works here.</summary>
    public async Task<RunShell?> ShellAsync(Job job, Workspace workspace, AgentThread thread, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        string? reason = !settings.Enabled
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

        var network = SandboxNetwork.None;
        return new RunShell(shells, new ShellSessionRequest(workspace.RepositoryPath, HomePath(workspace), network), settings, thread, redactor);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: no shell for this run: {Reason}")]
    private static partial void LogNoShell(ILogger logger, string jobId, string reason);
}
