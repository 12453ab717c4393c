using CodyBatch.Core.Artifacts;

namespace CodyBatch.Commands;

/// <summary><c>codybatch run</c>: one job in this process, with live progress, patches and threads written to a folder.</summary>
internal static class RunCommand
{
    /// <summary>Every run succeeded.</summary>
    public const int Succeeded = 0;

    /// <summary>At least one run failed, was cancelled or ended incomplete.</summary>
    public const int SomeFailed = 1;

    /// <summary>The request or a setting was wrong; nothing ran.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted (Ctrl+C): the job was cancelled and stored as such.</summary>
    public const int Interrupted = 130;

    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var prompt = new Argument<string?>("prompt") { Arity = ArgumentArity.ZeroOrOne, Description = "What Claude should do in every repository." };
        var repositories = new Argument<string[]>("repositories")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "1–5 repositories: a path to a local git repository or a file:// URL (add #ref to pin a branch, tag or commit), or owner/name.",
        };
        var mode = new Option<string>("--mode")
        {
            Description = "pull-request: also commit the change to a branch codybatch/<job> (local) or open a pull request; patch: the patch only; "
                + "triage: read only, answer whether the change is necessary (default model: CodyBatch:Agent:TriageModel).",
            DefaultValueFactory = _ => "pull-request",
        };
        mode.AcceptOnlyFromAmong("pull-request", "patch", "triage");
        var model = new Option<string?>("--model") { Description = "The Claude model (default: CodyBatch:DefaultModel)." };
        var title = new Option<string?>("--title") { Description = "A short title for the job." };
        var budget = new Option<decimal?>("--budget-usd")
        {
            Description = "Most the job may cost in US dollars, all its runs together (0.01–10,000); each run's cap is the smaller of this and CodyBatch:Agent:MaxCostUsd.",
        };
        var thinking = new Option<int?>("--thinking-budget") { Description = "Turn on extended thinking with this budget per response, in tokens (1,024–64,000)." };
        var outDir = new Option<string?>("--out") { Description = "Folder for <owner>-<name>.patch and .thread.json files (default: ./codybatch-<job id>)." };
        var json = new Option<bool>("--json") { Description = "Print the finished job as JSON (the API's shape) instead of the table; progress goes to standard error." };
        var checks = new Option<string[]>("--check")
        {
            Description = "A check command line run in every repository before and after the change, in the sandbox (repeatable); default: each repository's own, detected.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var noChecks = new Option<bool>("--no-checks") { Description = "Run no checks." };
        var environment = new EnvironmentFlags();
        var data = new Option<string?>("--data") { Description = "Folder for the job store (default: CodyBatch:DataDirectory, or ~/.local/share/codybatch)." };
        var rerun = new Option<string?>("--rerun")
        {
            Description = "Run the job with this id again, in its campaign: the same prompt, repositories and mode, updating its branches and open pull requests instead of opening new ones (no prompt or repositories then).",
        };
        var publish = new PublishFlags();

        var command = new Command("run", "Run a prompt over 1–5 repositories in this process and show progress; exit 0 all succeeded, 1 some failed, were cancelled or ended incomplete, 2 bad input, 130 interrupted. "
            + "`codybatch models` lists the models --model takes.")
        {
            prompt, repositories, mode, model, title, budget, thinking, checks, noChecks, outDir, json, data, rerun,
        };
        command.Validators.Add(result =>
        {
            var again = result.GetValue(rerun) is not null;
            var given = result.GetValue(prompt) is not null || result.GetValue(repositories) is { Length: > 0 };
            if (again && given)
            {
                result.AddError("--rerun takes the prompt and repositories from the job it runs again; give either --rerun or a prompt and repositories.");
            }
            else if (!again && (result.GetValue(prompt) is null || result.GetValue(repositories) is not { Length: > 0 }))
            {
                result.AddError("Give a prompt and 1–5 repositories, or --rerun JOB.");
            }
        });
        environment.AddTo(command);
        publish.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var checkCommands = parse.GetValue(checks) ?? [];
            if (checkCommands.Length > 0 && parse.GetValue(noChecks))
            {
                await error.WriteLineAsync("codybatch: use --check or --no-checks, not both.");
                return BadInput;
            }

            using var host = CodyBatchServer.BuildCliHost([], parse.GetValue(data), configureServices);
            try
            {
                await host.StartAsync(CancellationToken.None);
            }
            catch (Exception e) when (StartupFailure.Describe(e) is { } problem)
            {
                await error.WriteLineAsync($"codybatch: {problem}");
                return BadInput;
            }

            try
            {
                return await RunAsync(
                    host.Services,
                    new JobRequest
                    {
                        Prompt = parse.GetValue(prompt),
                        Repositories = parse.GetValue(repositories),
                        Mode = parse.GetValue(mode),
                        Model = parse.GetValue(model),
                        Title = parse.GetValue(title),
                        ThinkingBudgetTokens = parse.GetValue(thinking),
                        BudgetUsd = parse.GetValue(budget),
                        Checks = parse.GetValue(noChecks) ? [] : checkCommands.Length > 0 ? checkCommands : null,
                        Publish = publish.Read(parse),
                        Shell = environment.Shell(parse),
                        Network = environment.Network(parse),
                    },
                    parse.GetValue(rerun),
                    parse.GetValue(outDir),
                    parse.GetValue(json),
                    output,
                    error,
                    cancellationToken);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        IServiceProvider services, JobRequest request, string? rerun, string? outDir, bool json, TextWriter output, TextWriter error, CancellationToken interrupt)
    {
        var jobs = services.GetRequiredService<JobService>();
        if (rerun is not null)
        {
            var again = await jobs.RerunAsync(rerun, CancellationToken.None);
            if (again is null)
            {
                await error.WriteLineAsync($"codybatch: there is no job {rerun} in this data folder (--data); name a job this folder holds.");
                return BadInput;
            }

            return await FollowAsync(services, jobs, again, outDir, json, output, error, interrupt);
        }

        var (job, validation) = await jobs.CreateAsync(request, CancellationToken.None);
        if (job is null)
        {
            foreach (var (field, messages) in validation.Errors)
            {
                foreach (var message in messages)
                {
                    await error.WriteLineAsync($"codybatch: {field}: {message}");
                }
            }

            return BadInput;
        }

        return await FollowAsync(services, jobs, job, outDir, json, output, error, interrupt);
    }

    private static async Task<int> FollowAsync(
        IServiceProvider services, JobService jobs, Job job, string? outDir, bool json, TextWriter output, TextWriter error, CancellationToken interrupt)
    {
        var progressWriter = json ? error : output;
        var live = ReferenceEquals(progressWriter, Console.Out) ? !Console.IsOutputRedirected : ReferenceEquals(progressWriter, Console.Error) && !Console.IsErrorRedirected;
        await progressWriter.WriteLineAsync(
            $"Job {job.Id}: {job.Runs.Count} repositor{(job.Runs.Count == 1 ? "y" : "ies")}, model {job.Model}"
            + (job.BudgetUsd is { } jobBudget ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", budget ${jobBudget:0.00}") : ""));
        var console = live ? Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(progressWriter) }) : null;
        var progress = new RunProgress(progressWriter, console, services.GetRequiredService<TimeProvider>());
        using var stopDrawing = new CancellationTokenSource();
        var drawing = progress.FollowAsync(ct => jobs.GetAsync(job.Id, ct), stopDrawing.Token);

        // The runner is not handed the interrupt: Ctrl+C cancels the job, and the runs end as cancelled
        // (threads kept) instead of being abandoned mid-write.
        var finished = services.GetRequiredService<Core.Engine.SingleJobRunner>().RunAsync(job.Id, CancellationToken.None);
        var interrupted = Task.Delay(Timeout.Infinite, interrupt);
        var wasInterrupted = false;
        if (await Task.WhenAny(finished, interrupted) == interrupted)
        {
            wasInterrupted = true;
            await error.WriteLineAsync("Cancelling: the runs stop and the job is stored as cancelled…");
            await jobs.CancelAsync(job.Id, CancellationToken.None);
        }

        var final = await finished;
        await stopDrawing.CancelAsync();
        await drawing;

        var folder = Path.GetFullPath(outDir ?? $"codybatch-{final.Id}");
        var written = await WriteArtifactsAsync(jobs, final, folder);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(JobResponse.From(final), ApiJson.Options));
        }
        else
        {
            await WriteResultsAsync(output, final, written);
        }

        return wasInterrupted ? Interrupted : final.Runs.All(r => r.Status == RunStatus.Succeeded) ? Succeeded : SomeFailed;
    }

    private static async Task<Dictionary<string, List<string>>> WriteArtifactsAsync(JobService jobs, Job job, string folder)
    {
        var written = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var run in job.Runs)
        {
            var files = written[run.Repository] = [];
            foreach (var (kind, suffix) in new[] { (ArtifactKind.Patch, ".patch"), (ArtifactKind.Thread, ".thread.json") })
            {
                var artifact = await jobs.OpenArtifactAsync(job.Id, run.Repository, kind, CancellationToken.None);
                if (artifact.Content is not { } content)
                {
                    continue;
                }

                await using (content)
                {
                    Directory.CreateDirectory(folder);
                    var path = Path.Combine(folder, run.Repository.Replace('/', '-') + suffix);
                    await using var file = File.Create(path);
                    await content.CopyToAsync(file);
                    files.Add(path);
                }
            }
        }

        return written;
    }

    private static async Task WriteResultsAsync(TextWriter output, Job job, Dictionary<string, List<string>> written)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{"Repository",-32} {"Status",-10} {"Changes",-7} {"Checks",-11} {"Tokens",10} {"Cost",9}");
        foreach (var run in job.Runs)
        {
            var changes = run.WereChangesNecessary switch { true => "yes", false => "no", null => "-" };
            await output.WriteLineAsync(
                $"{RunProgress.Fit(run.Repository, 32),-32} {RunProgress.Status(run.Status),-10} {changes,-7} {run.Verification?.Status.ToString().ToLowerInvariant() ?? "-",-11} {RunProgress.Tokens(run.Usage),10} {RunProgress.Cost(run.Usage),9}");
        }

        await output.WriteLineAsync($"{"Total",-32} {job.Status.ToString().ToLowerInvariant(),-10} {"",-7} {"",-11} {RunProgress.Tokens(job.Usage),10} {RunProgress.Cost(job.Usage),9}");
        foreach (var run in job.Runs)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{run.Repository}:");
            if (run.Error is not null)
            {
                await output.WriteLineAsync($"  error: {run.Error}");
            }

            if (run.Notice is not null)
            {
                await output.WriteLineAsync($"  note: {run.Notice}");
            }

            if (run.Triage is { } triage)
            {
                await output.WriteLineAsync($"  triage: {(triage.Necessary ? "change necessary" : "no change necessary")}, confidence {triage.Confidence.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}");
            }

            if (run.Summary is not null)
            {
                await output.WriteLineAsync($"  {run.Summary.ReplaceLineEndings("\n  ")}");
            }

            if (run.Verification is { } verification)
            {
                await output.WriteLineAsync($"  checks: {verification.Status.ToString().ToLowerInvariant()} ({verification.Source}){(verification.Reason is null ? "" : $": {verification.Reason}")}");
                if (verification.SetupSource is not null)
                {
                    await output.WriteLineAsync($"  setup: {verification.SetupSource}");
                }

                foreach (var setup in verification.Setup.Where(s => !s.Run.Passed))
                {
                    await output.WriteLineAsync($"    setup `{setup.Command}`: {CheckCell(setup.Run)}");
                }

                foreach (var setup in verification.SetupAfter)
                {
                    await output.WriteLineAsync($"    setup again after the change `{setup.Command}`: {CheckCell(setup.Run)}");
                }

                foreach (var check in verification.Checks)
                {
                    await output.WriteLineAsync($"    {check.Name}: before {CheckCell(check.Before)}, after {CheckCell(check.After)}");
                }
            }

            var shellPath = written[run.Repository].FirstOrDefault(f => f.EndsWith(".thread.json", StringComparison.Ordinal));
            if (shellPath is not null)
            {
                await using var thread = File.OpenRead(shellPath);
                var commands = await ShellCommandLines.ReadAsync(thread, CancellationToken.None);
                if (commands.Count > 0)
                {
                    await output.WriteLineAsync("  shell:");
                    foreach (var line in commands)
                    {
                        await output.WriteLineAsync($"    {line}");
                    }
                }
            }

            if (run.PullRequest is { } pull)
            {
                await output.WriteLineAsync($"  pull request: {pull.Url} ({pull.State.ToString().ToLowerInvariant()})");
            }
            else if (run.PullRequestUrl is not null)
            {
                await output.WriteLineAsync($"  pull request: {run.PullRequestUrl}");
            }
            else if (run.PullRequestBranch is not null)
            {
                await output.WriteLineAsync($"  branch: {run.PullRequestBranch}");
            }

            foreach (var file in written[run.Repository])
            {
                await output.WriteLineAsync($"  wrote {file}");
            }
        }
    }

    private static string CheckCell(Core.Checks.CheckRun? run) => run switch
    {
        null => "not run",
        { Limit: { } limit } => limit,
        { Passed: false, Cause: { } cause } => $"exit {run.ExitCode} in {run.DurationMs / 1000.0:0.0} s ({cause})",
        _ => $"exit {run.ExitCode} in {run.DurationMs / 1000.0:0.0} s",
    };
}
