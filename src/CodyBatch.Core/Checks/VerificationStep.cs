using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Checks;

/// <summary>
/// The run's checks before and after the change: plans them, runs them on the pristine snapshot,
/// lets the agent run them, runs them on the result, and compares. Every session is recorded in
/// the thread with the end of each command's output.
/// </summary>
public sealed partial class VerificationStep(
    ICheckRunner runner, IOptions<CheckOptions> options, SecretRedactor redactor, ILogger<VerificationStep> logger)
{
    private const string TreeFolder = "checks";

    /// <summary>Plans the checks and runs them on the workspace as fetched (call right after its baseline).</summary>
    public async Task<CheckState> BaselineAsync(
        IReadOnlyList<string>? jobChecks, Workspace workspace, AgentThread thread, CancellationToken cancellationToken, Environments.RunEnvironment? environment = null)
    {
        var settings = options.Value;
        var plan = settings.Enabled
            ? CheckDetector.Plan(jobChecks, workspace.RepositoryPath, setupWithoutChecks: environment?.Shell is not null)
            : CheckPlan.None("none: checks are turned off (CodyBatch:Checks:Enabled)");
        if (plan.Checks.Count == 0)
        {
            thread.Add("checks", new JsonObject { ["phase"] = "baseline", ["source"] = plan.Source, ["problem"] = plan.Problem });
            return plan.Setup.Count > 0 && environment?.Shell is not null
                ? await SetupForShellAsync(plan, workspace, thread, environment, cancellationToken)
                : new CheckState(plan, null, null);
        }

        var unavailable = await runner.UnavailableReasonAsync(cancellationToken);
        if (unavailable is null)
        {
            try
            {
                // With a shell, setup runs once in the workspace (the shell's /repo), joins the baseline, and the checks'
                // copy is made after it, so the shell, the baseline checks and the checks after the change all see what it
                // installed; without one it runs in the checks' copy, where only the checks need it.
                CheckSessionResult? installed = null;
                if (plan.Setup.Count > 0 && environment?.Shell is not null)
                {
                    installed = await SetupInWorkspaceAsync(plan, workspace, environment, cancellationToken);
                }

                var tree = await CheckTree.CreateAsync(workspace.RepositoryPath, Path.Combine(workspace.RootPath, TreeFolder), cancellationToken);
                var session = new CheckSession(tree.Path, installed is null ? plan.Setup : [], plan.Checks, settings.SetupNetwork)
                {
                    HomePath = environment?.HomePath,
                    Network = environment?.Network,
                    GitViewPath = environment?.GitViewPath,
                };
                var result = installed is null
                    ? await WithCachesAsync(environment?.Caches, plan, session, cancellationToken)
                    : installed.Setup.All(s => s.Passed)
                        ? (await SandboxedAsync(session, cancellationToken)) with { Setup = installed.Setup }
                        : CheckSessionResult.SetupFailed(installed.Setup, plan.Checks);

                Record(thread, "baseline", plan, result);

                // A baseline that fails for its environment's sake (a tool missing, a registry out of reach) says nothing
                // about the change: the checks are unavailable, with that reason, rather than failing.
                var environmentReason = EnvironmentReason(result);
                if (environmentReason is not null)
                {
                    LogUnavailable(logger, environmentReason);
                    thread.Add("checks", new JsonObject { ["phase"] = "baseline", ["source"] = plan.Source, ["unavailable"] = environmentReason });
                }

                return new CheckState(plan, result.Checks, environmentReason)
                {
                    Tree = tree, HomePath = environment?.HomePath, Setup = result.Setup, GitViewPath = environment?.GitViewPath, Network = environment?.Network,
                    SetupAfterOffline = environment?.Shell is null,
                };
            }
            catch (CheckSandboxUnavailableException e)
            {
                unavailable = e.Message;
            }
        }

        LogUnavailable(logger, unavailable);
        thread.Add("checks", new JsonObject { ["phase"] = "baseline", ["source"] = plan.Source, ["unavailable"] = unavailable });
        return new CheckState(plan, null, unavailable);
    }

    // No checks, but Claude has a shell: setup runs once in the workspace itself (the shell's /repo), so what it installs
    // there (node_modules/) and into the run's home is ready for the shell, with the caches restored before and saved
    // after as for checks; what it wrote becomes part of the baseline, not of the change. A setup that fails is on the
    // run and in the thread, and the run goes on.
    private async Task<CheckState> SetupForShellAsync(
        CheckPlan plan, Workspace workspace, AgentThread thread, Environments.RunEnvironment environment, CancellationToken cancellationToken)
    {
        var unavailable = await runner.UnavailableReasonAsync(cancellationToken);
        if (unavailable is null)
        {
            try
            {
                var result = await SetupInWorkspaceAsync(plan, workspace, environment, cancellationToken);
                Record(thread, "setup", plan, result);
                return new CheckState(plan, null, null) { Setup = result.Setup, HomePath = environment.HomePath };
            }
            catch (CheckSandboxUnavailableException e)
            {
                unavailable = e.Message;
            }
        }

        LogUnavailable(logger, unavailable);
        thread.Add("checks", new JsonObject { ["phase"] = "setup", ["source"] = plan.SetupSource, ["unavailable"] = unavailable });
        return new CheckState(plan, null, null);
    }

    // Setup alone, in the workspace itself (the shell's /repo); what it wrote there joins the baseline, not the change.
    private async Task<CheckSessionResult> SetupInWorkspaceAsync(
        CheckPlan plan, Workspace workspace, Environments.RunEnvironment environment, CancellationToken cancellationToken)
    {
        var session = new CheckSession(workspace.RepositoryPath, plan.Setup, [], options.Value.SetupNetwork)
        {
            HomePath = environment.HomePath,
            Network = environment.Network,
            GitViewPath = environment.GitViewPath,
        };
        var result = await WithCachesAsync(environment.Caches, plan, session, cancellationToken);
        await workspace.RebaselineAsync(cancellationToken);
        return result;
    }

    // The session with the run's dependency caches (restored before its setup, saved right after a setup that passed)
    // and the repository's kept installed tree offered in place of the setup.
    private Task<CheckSessionResult> WithCachesAsync(Environments.RunCaches? caches, CheckPlan plan, CheckSession session, CancellationToken cancellationToken) =>
        SandboxedAsync(
            caches is null || session.Setup.Count == 0
                ? session
                : session with { Caches = caches, Installed = caches.InstalledTree(session.TreePath, session.Setup, plan.AlwaysInstall) },
            cancellationToken);

    /// <summary>What the agent's <c>run_checks</c> tool may run: the plan's checks on the workspace as it is at each call.</summary>
    public AgentChecks ForAgent(CheckState state, Workspace workspace, AgentThread? thread = null) =>
        new(state, options.Value.MaxAgentRuns, async (name, cancellationToken) =>
        {
            var checks = state.Plan.Checks.Where(c => name is null || c.Name == name).ToList();
            var result = await RunOnChangesAsync(state, workspace, checks, thread, cancellationToken);
            return [.. result.Checks.Select(Redacted)];
        });

    /// <summary>
    /// Runs the checks on the changed workspace and compares them with the baseline. When nothing
    /// <paramref name="changed"/>, the baseline's results stand for both sides.
    /// </summary>
    public async Task<Verification> VerifyAsync(CheckState state, Workspace workspace, AgentThread thread, bool changed, CancellationToken cancellationToken)
    {
        Verification verification;
        if (state.Plan.Checks.Count == 0)
        {
            verification = Verifications.Skipped(state.Plan);
        }
        else if (!state.CanRun)
        {
            verification = Verifications.Unavailable(state.Plan, state.UnavailableReason ?? "The checks did not run on the baseline.", state.Baseline);
        }
        else if (!changed)
        {
            thread.Add("checks", new JsonObject { ["phase"] = "after", ["source"] = state.Plan.Source, ["note"] = "Nothing changed, so the baseline's results stand." });
            verification = Verifications.Compare(state.Plan, state.Baseline!, state.Baseline!);
        }
        else
        {
            try
            {
                var result = await RunOnChangesAsync(state, workspace, state.Plan.Checks, thread, cancellationToken);
                Record(thread, "after", state.Plan, result);
                verification = Verifications.Compare(state.Plan, state.Baseline!, result.Checks);
            }
            catch (CheckSandboxUnavailableException e)
            {
                verification = Verifications.Unavailable(state.Plan, e.Message, state.Baseline);
            }
        }

        verification = verification with
        {
            Checks = [.. verification.Checks.Select(c => c with { Before = Redacted(c.Before), After = Redacted(c.After) })],
            SetupSource = state.Plan.SetupSource,
            Setup = [.. state.Setup.Select(SetupRun)],
            SetupAfter = changed ? [.. state.SetupAfter.Select(SetupRun)] : [],
        };
        thread.Add("verification", new JsonObject { ["status"] = verification.Status.ToString().ToLowerInvariant(), ["source"] = verification.Source, ["reason"] = verification.Reason });
        return verification;
    }

    /// <summary>
    /// Brings the checks' copy up to date with the change and, when the change touched a file setup depends on, runs setup
    /// again there. Call while the run's environment is open (after the agent, before its network and shell end): the
    /// setup gets the run's network; one needed after that runs without.
    /// </summary>
    public async Task SetupAfterChangeAsync(CheckState state, Workspace workspace, AgentThread thread, CancellationToken cancellationToken)
    {
        try
        {
            if (state.CanRun && state.Tree is { } tree)
            {
                await SetupAfterAsync(state, tree, await UpdateTreeAsync(tree, workspace, cancellationToken), thread, cancellationToken);
            }
        }
        catch (CheckSandboxUnavailableException)
        {
            // The checks after the change meet it again and say so.
        }
        finally
        {
            state.EnvironmentEnded = true;
        }
    }

    private const string OfflineNote =
        " Setup after a change runs without network when the job gives Claude no shell (shell: false): what the change added to setup's files runs only as the checks run its code, offline, from the run's caches.";

    private async Task<CheckSessionResult> RunOnChangesAsync(
        CheckState state, Workspace workspace, IReadOnlyList<CheckDefinition> checks, AgentThread? thread, CancellationToken cancellationToken)
    {
        var tree = state.Tree ?? throw new CheckSandboxUnavailableException("The checks' copy of the workspace is missing.");
        var changes = await UpdateTreeAsync(tree, workspace, cancellationToken);
        if (await SetupAfterAsync(state, tree, changes, thread, cancellationToken) is { } setup && setup.FirstOrDefault(r => !r.Passed) is { } failed)
        {
            // Failing for the environment's sake (a registry out of reach, a limit) says nothing about the change, as on the
            // baseline; failing otherwise (a lock file out of step with its manifest) is the change's doing.
            return (failed.Limit ?? EnvironmentFailure.Reason(failed)) is { } reason
                ? throw new CheckSandboxUnavailableException($"Setup `{failed.Command}` failed after the change, so the checks cannot say anything about it: {reason}{(state.SetupAfterOffline ? OfflineNote : "")}")
                : CheckSessionResult.SetupFailed(setup, checks);
        }

        // The checks themselves never reach the network.
        return await SandboxedAsync(new CheckSession(tree.Path, [], checks) { HomePath = state.HomePath, GitViewPath = state.GitViewPath }, cancellationToken);
    }

    private static async Task<IReadOnlyList<WorkspaceChange>> UpdateTreeAsync(CheckTree tree, Workspace workspace, CancellationToken cancellationToken)
    {
        var changes = await workspace.ListChangesAsync(cancellationToken);
        try
        {
            tree.Update(changes);
            return changes;
        }
        catch (IOException e)
        {
            // A check can fill its tree up to the disk limit; then the changes no longer fit, which says nothing about the run.
            throw new CheckSandboxUnavailableException($"The checks' copy of the workspace could not be brought up to date ({e.Message}); a check may have filled it up to CodyBatch:Checks:DiskLimitMb.");
        }
    }

    // The copy keeps what setup installed on the baseline (node_modules/ is not part of the change), so when the change
    // touched a file setup depends on (an upgrade through the shell changes the manifest and the lock file) setup runs
    // again in the copy, with the run's home (what the shell fetched is in its caches) and network, before the checks.
    // It runs again when those files differ from what it last saw, or when it last failed for the environment's sake and
    // the run's network is still up (a registry's 5xx says nothing about the change); it never keeps the installed tree (that is kept
    // only right after the first setup) nor saves the caches. Null when it did not run for these files.
    private async Task<IReadOnlyList<CheckResult>?> SetupAfterAsync(
        CheckState state, CheckTree tree, IReadOnlyList<WorkspaceChange> changes, AgentThread? thread, CancellationToken cancellationToken)
    {
        var (touched, last, retry) = state.SetupInputsSeen;
        touched.UnionWith(changes.Select(c => c.Path).Where(SetupInputs.Includes));
        if (touched.Count == 0 || state.Plan.Setup.Count == 0)
        {
            return null;
        }

        var digest = tree.Digest(touched);
        if (digest == last && (!retry || state.EnvironmentEnded))
        {
            return state.SetupAfter;
        }

        var online = !state.EnvironmentEnded && !state.SetupAfterOffline;
        var session = new CheckSession(tree.Path, state.Plan.Setup, [], options.Value.SetupNetwork && online)
        {
            HomePath = state.HomePath,
            Network = online ? state.Network : null,
            GitViewPath = state.GitViewPath,
        };
        var result = await SandboxedAsync(session, cancellationToken);
        state.SetupAfter = result.Setup;

        // A result stands for these files only when it says something about them: a setup that failed for the
        // environment's sake (a registry's 5xx, a limit) with the network runs again at the next call while it is up.
        var environmentFailure = result.Setup.FirstOrDefault(r => !r.Passed) is { } failed && (failed.Limit ?? EnvironmentFailure.Reason(failed)) is not null;
        state.SetupInputsSeen = (touched, digest, environmentFailure && online && (state.Network?.HasProxy == true || options.Value.SetupNetwork));
        if (thread is not null)
        {
            Record(thread, "setup-after", state.Plan, result);
        }

        return result.Setup;
    }

    // One session of checks in the sandbox, timed for the sandbox duration metric and traced.
    private async Task<CheckSessionResult> SandboxedAsync(CheckSession session, CancellationToken cancellationToken)
    {
        using var timing = Telemetry.CodyBatchMetrics.TimeSandbox("checks");
        var result = await runner.RunAsync(session, cancellationToken);
        IEnumerable<CheckResult> all = [.. result.Setup, .. result.Checks];
        timing.Ended(all.Any(c => c.Limit is not null) ? "limit" : all.All(c => c.Passed) ? "ok" : "failed");
        return result;
    }

    // Why the baseline cannot stand for the comparison: a setup command failed (installing is the environment's part), or
    // a check failed for an environment reason.
    private static string? EnvironmentReason(CheckSessionResult result)
    {
        if (result.Setup.FirstOrDefault(r => !r.Passed) is { } setup)
        {
            return $"Setup `{setup.Command}` failed on the snapshot, so the checks cannot say anything about the change: {EnvironmentFailure.Cause(setup) ?? $"exit code {setup.ExitCode}"}";
        }

        return result.Checks.Select(c => (c.Name, Reason: EnvironmentFailure.Reason(c))).FirstOrDefault(c => c.Reason is not null) is { Reason: { } reason } check
            ? $"The check `{check.Name}` cannot run here: {reason}"
            : null;
    }

    private void Record(AgentThread thread, string phase, CheckPlan plan, CheckSessionResult result) =>
        thread.Add("checks", new JsonObject
        {
            ["phase"] = phase,
            ["source"] = plan.Source,
            ["setupSource"] = plan.SetupSource,
            ["setup"] = new JsonArray([.. result.Setup.Select(r => (JsonNode)Json(r))]),
            ["results"] = new JsonArray([.. result.Checks.Select(r => (JsonNode)Json(r))]),
        });

    private JsonObject Json(CheckResult result) => new()
    {
        ["name"] = result.Name,
        ["command"] = result.Command,
        ["exitCode"] = result.ExitCode,
        ["durationMs"] = (long)result.Duration.TotalMilliseconds,
        ["limit"] = result.Limit,
        ["output"] = redactor.Redact(OutputTail.Last(result.Output, options.Value.OutputChars)),
    };

    private SetupRun SetupRun(CheckResult result) => new(result.Command, Redacted(CheckRun.From(result, Verifications.StoredOutputChars))!);

    private CheckResult Redacted(CheckResult result) => result with { Output = redactor.Redact(OutputTail.Last(result.Output, options.Value.OutputChars)) };

    private CheckRun? Redacted(CheckRun? run) => run is null ? null : run with { Output = redactor.Redact(run.Output) };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checks not run: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
