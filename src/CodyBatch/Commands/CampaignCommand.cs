using CodyBatch.Campaigns;
using CodyBatch.Core.Campaigns;

namespace CodyBatch.Commands;

/// <summary>
/// <c>codybatch campaign create|list|show|approve|pause|resume|cancel</c>: fleet campaigns in the local job store. They
/// advance while <c>codybatch serve</c> runs on the same data folder (on AWS, <c>codybatch sweep</c> advances them).
/// </summary>
internal static class CampaignCommand
{
    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var command = new Command("campaign", "Fleet campaigns: one prompt over many repositories, previewed, triaged, canaried, approved, then fanned out in jobs of up to five under a budget and pull request caps.");
        var data = StoreCommand.DataOption();
        var json = StoreCommand.JsonOption();
        command.Subcommands.Add(CreateCommand(configureServices, data, json));

        var list = new Command("list", "List campaigns, newest first.") { data, json };
        list.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, _) =>
        {
            var items = (await services.GetRequiredService<CampaignService>().ListAsync(ct)).Select(FleetCampaignListItem.From).ToList();
            if (parse.GetValue(json))
            {
                await StoreCommand.WriteJsonAsync(output, items);
                return 0;
            }

            foreach (var c in items)
            {
                await output.WriteLineAsync($"{c.Id}  {c.PhaseText}{(c.Paused ? " (paused)" : "")}  {c.RepositoryCount} repositories  {c.Title}");
            }

            return 0;
        }));
        command.Subcommands.Add(list);

        var id = new Argument<string>("id") { Description = "The campaign's id." };
        var show = new Command("show", "The campaign: phase, what it waits for, counts, spent vs forecast vs budget, and the repositories table.") { id, data, json };
        show.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
        {
            if (await services.GetRequiredService<CampaignService>().GetAsync(parse.GetValue(id)!, ct) is not { } found)
            {
                await error.WriteLineAsync($"codybatch: there is no campaign {parse.GetValue(id)}.");
                return RunCommand.BadInput;
            }

            return await WriteAsync(parse.GetValue(json), output, FleetCampaignResponse.From(found.Campaign, found.Repositories, services.GetRequiredService<TimeProvider>().GetUtcNow()));
        }));
        command.Subcommands.Add(show);

        Command Act(string verb, string description, Func<CampaignService, string, CancellationToken, Task<CampaignResult>> act)
        {
            var action = new Command(verb, description) { id, data, json };
            action.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
            {
                var service = services.GetRequiredService<CampaignService>();
                var result = await act(service, parse.GetValue(id)!, ct);
                if (result.Campaign is null || await service.GetAsync(result.Campaign.Id, ct) is not { } found)
                {
                    await error.WriteLineAsync($"codybatch: {result.Problem}");
                    return RunCommand.BadInput;
                }

                return await WriteAsync(parse.GetValue(json), output, FleetCampaignResponse.From(found.Campaign, found.Repositories, services.GetRequiredService<TimeProvider>().GetUtcNow()));
            }));
            return action;
        }

        command.Subcommands.Add(Act("approve", "Approve the preview (triage or the canary starts) or, after the canary, the fan-out.", (s, i, ct) => s.ApproveAsync(i, ct)));
        command.Subcommands.Add(Act("pause", "Pause: no new job starts; running jobs finish.", (s, i, ct) => s.PauseAsync(i, ct)));
        command.Subcommands.Add(Act("resume", "Resume a paused campaign.", (s, i, ct) => s.ResumeAsync(i, ct)));
        command.Subcommands.Add(Act("cancel", "Cancel: running jobs are cancelled, repositories not started are skipped.", (s, i, ct) => s.CancelAsync(i, ct)));
        return command;
    }

    private static Command CreateCommand(Action<IServiceCollection>? configureServices, Option<string?> data, Option<bool> json)
    {
        var prompt = new Option<string?>("--prompt") { Description = "The prompt (or give --saved-prompt)." };
        var saved = new Option<string?>("--saved-prompt") { Description = "A saved prompt's id." };
        var title = new Option<string?>("--title") { Description = "A title for the campaign and its jobs." };
        var repositories = new Option<string[]>("--repository") { Description = "A repository by name, owner/name (repeat for more)." };
        var patterns = new Option<string[]>("--pattern") { Description = "A name pattern over the visible repositories, like acme/api-* (repeat for more)." };
        var organization = new Option<string?>("--org") { Description = "Only the repositories of this organization." };
        var topic = new Option<string?>("--topic") { Description = "Only repositories with this topic." };
        var language = new Option<string?>("--language") { Description = "Only repositories whose primary language is this." };
        var archived = new Option<bool>("--include-archived") { Description = "Keep archived repositories (left out by default)." };
        var forks = new Option<bool>("--include-forks") { Description = "Keep forks (left out by default)." };
        var triage = new Option<string?>("--triage") { Description = "auto (default: on above 25 repositories), on or off." };
        var canary = new Option<int?>("--canary-jobs") { Description = "Canary jobs of up to five repositories before approval (0–5, default 1)." };
        var concurrency = new Option<int?>("--concurrency") { Description = "At most this many jobs of the campaign at once (default 5)." };
        var budget = new Option<decimal?>("--budget") { Description = "The budget in USD: no new job starts once spent + the in-flight estimate reaches it." };
        var maxOpen = new Option<int?>("--max-open-prs") { Description = "At most this many open pull requests of the campaign at once." };
        var perHour = new Option<int?>("--max-prs-per-hour") { Description = "At most this many new pull requests per hour." };
        var mode = new Option<string?>("--mode") { Description = "pullRequest (default) or patch." };
        var model = new Option<string?>("--model") { Description = "The Claude model." };
        var checks = new Option<string[]>("--check") { Description = "A check command (repeat for more)." };
        var create = new Command("create", "Create a campaign: its selection is resolved and printed (the preview); nothing runs until 'codybatch campaign approve'.")
        {
            prompt, saved, title, repositories, patterns, organization, topic, language, archived, forks, triage, canary, concurrency, budget, maxOpen, perHour, mode, model, checks, data, json,
        };
        create.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
        {
            var request = new CampaignRequest
            {
                Title = parse.GetValue(title),
                SavedPromptId = parse.GetValue(saved),
                Job = new JobRequest
                {
                    Prompt = parse.GetValue(prompt),
                    Mode = parse.GetValue(mode),
                    Model = parse.GetValue(model),
                    Checks = parse.GetValue(checks) is { Length: > 0 } given ? given : null,
                },
                Selection = new RepositorySelection
                {
                    Repositories = parse.GetValue(repositories),
                    Patterns = parse.GetValue(patterns),
                    Organization = parse.GetValue(organization),
                    Topic = parse.GetValue(topic),
                    Language = parse.GetValue(language),
                    IncludeArchived = parse.GetValue(archived),
                    IncludeForks = parse.GetValue(forks),
                },
                Triage = parse.GetValue(triage),
                CanaryJobs = parse.GetValue(canary),
                Concurrency = parse.GetValue(concurrency),
                BudgetUsd = parse.GetValue(budget),
                MaxOpenPullRequests = parse.GetValue(maxOpen),
                MaxPullRequestsPerHour = parse.GetValue(perHour),
            };
            var (campaign, validation) = await services.GetRequiredService<CampaignService>().CreateAsync(request, ct);
            if (campaign is null)
            {
                return await StoreCommand.ErrorsAsync(error, validation.Errors);
            }

            var preview = CampaignPreviewResponse.From(validation);
            if (parse.GetValue(json))
            {
                await StoreCommand.WriteJsonAsync(output, new { id = campaign.Id, preview });
                return 0;
            }

            await output.WriteLineAsync($"Campaign {campaign.Id}: {preview.Count} repositories, triage {(preview.Triage ? "on" : "off")}, canary {preview.CanaryRepositories}.");
            if (preview.CanaryNote is { } note)
            {
                await output.WriteLineAsync(note);
            }

            foreach (var repository in preview.Repositories)
            {
                await output.WriteLineAsync($"  {repository}");
            }

            foreach (var left in preview.Excluded)
            {
                await output.WriteLineAsync($"  left out: {left.Repository} ({left.Reason})");
            }

            await output.WriteLineAsync($"Nothing runs yet: codybatch campaign approve {campaign.Id}");
            return 0;
        }));
        return create;
    }

    private static async Task<int> WriteAsync(bool asJson, TextWriter output, FleetCampaignResponse c)
    {
        if (asJson)
        {
            await StoreCommand.WriteJsonAsync(output, c);
            return 0;
        }

        static string Usd(decimal? amount) => amount is { } a ? a.ToString("$#,##0.00", CultureInfo.InvariantCulture) : "—";
        await output.WriteLineAsync($"{c.Id}  {c.Title}  {c.PhaseText}{(c.Paused ? " (paused)" : "")}");
        if (c.Waiting is not null)
        {
            await output.WriteLineAsync($"  {c.Waiting}");
        }

        await output.WriteLineAsync(
            $"  {c.Counts.Total} repositories: {c.Counts.Done} done, {c.Counts.Running} running, {c.Counts.Left} left, {c.Counts.NotNeeded} not needed, {c.Counts.Skipped} skipped; "
            + $"pull requests {c.Counts.OpenPullRequests} open, {c.Counts.MergedPullRequests} merged, {c.Counts.ClosedPullRequests} closed"
            + (c.Counts.HeldPullRequests > 0 ? $", {c.Counts.HeldPullRequests} held (overlap)" : ""));
        await output.WriteLineAsync(
            $"  spent {Usd(c.Money.SpentUsd)} (triage {Usd(c.Money.TriageSpentUsd)}), forecast {Usd(c.Money.ForecastUsd)}, budget {Usd(c.Money.BudgetUsd)}, per merged pull request {Usd(c.Money.CostPerMergedPullRequestUsd)}");
        foreach (var r in c.Repositories)
        {
            var triage = r.Triage is { } t ? (t.Necessary ? "needed" : "not needed") + (r.TriageOverride is { } o ? $" → {(o ? "needed" : "not needed")} by hand" : "") : "";
            await output.WriteLineAsync($"  {r.Repository,-40} {r.Phase,-10} {triage,-12} {r.RunStatus ?? "",-10} {r.Verification ?? "",-8} {r.PullRequestState ?? (r.PublishHeld ? "held" : ""),-7} {Usd(r.CostUsd + r.TriageCostUsd)}");
        }

        return 0;
    }
}
