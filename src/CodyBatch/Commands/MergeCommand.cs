namespace CodyBatch.Commands;

/// <summary><c>codybatch merge JOB [--campaign]</c>: "merge all green" on a job, or on the campaign whose id it is.</summary>
internal static class MergeCommand
{
    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var job = new Argument<string>("job") { Description = "The job id (with --campaign: the campaign's id, its first job's)." };
        var campaign = new Option<bool>("--campaign") { Description = "Merge the green open pull requests of every job of the campaign." };
        var data = StoreCommand.DataOption();
        var json = StoreCommand.JsonOption();
        var command = new Command(
            "merge",
            "Merge all green: merge each open pull request whose checks pass and whose review allows it, with the job's merge method (or enable GitHub's auto-merge while checks are pending, where the repository allows it); says why for each other one.")
        {
            job, campaign, data, json,
        };
        command.SetAction((parse, _) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
        {
            var merger = services.GetRequiredService<PullRequestMerger>();
            var id = parse.GetValue(job)!;
            var outcomes = parse.GetValue(campaign)
                ? await merger.MergeCampaignAsync(id, CancellationToken.None)
                : await merger.MergeJobAsync(id, CancellationToken.None);
            if (outcomes is null)
            {
                await error.WriteLineAsync($"codybatch: there is no job {id}.");
                return RunCommand.BadInput;
            }

            if (parse.GetValue(json))
            {
                await StoreCommand.WriteJsonAsync(output, MergeResponse.From(outcomes));
                return 0;
            }

            foreach (var outcome in outcomes)
            {
                await output.WriteLineAsync($"{outcome.Repository}#{outcome.Number}: {outcome.Reason}");
            }

            await output.WriteLineAsync($"{outcomes.Count(o => o.Outcome == "merged")} merged, {outcomes.Count(o => o.Outcome == "autoMergeEnabled")} with auto-merge, {outcomes.Count(o => o.Outcome == "notMerged")} not merged.");
            return 0;
        }));
        return command;
    }
}
