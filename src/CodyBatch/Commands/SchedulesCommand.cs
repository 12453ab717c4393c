using CodyBatch.Core.Schedules;
using CodyBatch.Schedules;

namespace CodyBatch.Commands;

/// <summary>
/// <c>codybatch schedules list|add|edit|pause|resume|delete</c>: schedules in the local job store. They fire
/// while <c>codybatch serve</c> runs on the same data folder.
/// </summary>
internal static class SchedulesCommand
{
    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var command = new Command("schedules", "Schedules: a prompt over repositories on a cron expression; they fire while 'codybatch serve' runs on the same data.");
        var data = StoreCommand.DataOption();
        var json = StoreCommand.JsonOption();

        var list = new Command("list", "List schedules with their next firing and last firings.") { data, json };
        list.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, _) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var schedules = (await services.GetRequiredService<ScheduleService>().ListAsync(ct)).Select(s => ScheduleResponse.From(s, now)).ToList();
            if (parse.GetValue(json))
            {
                await StoreCommand.WriteJsonAsync(output, schedules);
                return 0;
            }

            foreach (var s in schedules)
            {
                var next = s.NextFirings.Count > 0 ? s.NextFirings[0].ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) : "paused";
                await output.WriteLineAsync($"{s.Id}  {s.Name}  '{s.Cron}' {s.TimeZone}  next: {next}  {string.Join(", ", s.Repositories)}{EnvironmentFlags.Describe(s.Shell, s.Network)}");
                foreach (var f in s.Firings.Take(3))
                {
                    await output.WriteLineAsync($"    {f.ScheduledFor.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}  {f.Outcome}  {f.JobId ?? f.Reason}");
                }
            }

            return 0;
        }));

        var name = new Option<string>("--name") { Description = "What lists show; also the title of its jobs.", Required = true };
        var cron = new Option<string>("--cron") { Description = "A cron expression, like '0 6 * * 1-5' (06:00 on weekdays).", Required = true };
        var zone = new Option<string?>("--time-zone") { Description = "An IANA time zone, like Europe/Berlin (default: UTC)." };
        var prompt = new Option<string?>("--prompt") { Description = "The prompt (or give --saved-prompt)." };
        var saved = new Option<string?>("--saved-prompt") { Description = "A saved prompt's id (or give --prompt)." };
        var mode = new Option<string?>("--mode") { Description = "pullRequest, patch or triage (default: the saved prompt's, or pullRequest)." };
        var budget = new Option<decimal?>("--budget-usd") { Description = "The dollar budget of each job it starts, all its runs together (0.01–10,000; default: none)." };
        var checks = new Option<string[]>("--check") { Description = "A check command (repeat for more)." };
        var model = new Option<string?>("--model") { Description = "The Claude model." };
        var repositories = new Argument<string[]>("repositories") { Arity = ArgumentArity.OneOrMore, Description = "1–5 repositories as owner/name." };
        var paused = new Option<bool>("--paused") { Description = "Create it paused (edit: pause it)." };
        var id = new Argument<string>("id") { Description = "The schedule's id (schedule-…)." };
        var environment = new EnvironmentFlags("the saved prompt's, else the server's");
        var add = new Command("add", "Create a schedule; prints its id and next firing.") { repositories, name, cron, zone, prompt, saved, mode, checks, model, budget, paused, data, json };
        environment.AddTo(add);
        ScheduleRequest Request(ParseResult parse, bool? enabled) => new()
        {
            Name = parse.GetValue(name),
            Cron = parse.GetValue(cron),
            TimeZone = parse.GetValue(zone),
            Prompt = parse.GetValue(prompt),
            SavedPromptId = parse.GetValue(saved),
            Mode = parse.GetValue(mode),
            Checks = parse.GetValue(checks),
            Model = parse.GetValue(model),
            BudgetUsd = parse.GetValue(budget),
            Shell = environment.Shell(parse),
            Network = environment.Network(parse),
            Repositories = parse.GetValue(repositories),
            Enabled = enabled,
        };

        async Task<int> ResultAsync(ParseResult parse, IServiceProvider services, TextWriter output, TextWriter error, ScheduleResult result) =>
            result.NotFound ? await NotFoundAsync(error, parse.GetValue(id)!)
            : result.Schedule is { } schedule ? await WriteAsync(parse.GetValue(json), output, ScheduleResponse.From(schedule, services.GetRequiredService<TimeProvider>().GetUtcNow()))
            : await StoreCommand.ErrorsAsync(error, result.Errors);

        add.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
            await ResultAsync(parse, services, output, error, await services.GetRequiredService<ScheduleService>().CreateAsync(Request(parse, !parse.GetValue(paused)), ct))));

        var edit = new Command("edit", "Replace a schedule's specification (every option as for add); its firings and campaign stay.")
        {
            id, repositories, name, cron, zone, prompt, saved, mode, checks, model, budget, paused, data, json,
        };
        environment.AddTo(edit);
        edit.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
            await ResultAsync(parse, services, output, error, await services.GetRequiredService<ScheduleService>().UpdateAsync(parse.GetValue(id)!, Request(parse, parse.GetValue(paused) ? false : null), ct))));

        Command Toggle(string verb, bool enabled, string description)
        {
            var toggle = new Command(verb, description) { id, data, json };
            toggle.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
            {
                var schedule = await services.GetRequiredService<ScheduleService>().SetEnabledAsync(parse.GetValue(id)!, enabled, ct);
                return schedule is null
                    ? await NotFoundAsync(error, parse.GetValue(id)!)
                    : await WriteAsync(parse.GetValue(json), output, ScheduleResponse.From(schedule, services.GetRequiredService<TimeProvider>().GetUtcNow()));
            }));
            return toggle;
        }

        var delete = new Command("delete", "Delete a schedule; its jobs and pull requests stay.") { id, data };
        delete.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
        {
            if (!await services.GetRequiredService<ScheduleService>().DeleteAsync(parse.GetValue(id)!, ct))
            {
                return await NotFoundAsync(error, parse.GetValue(id)!);
            }

            await output.WriteLineAsync($"Deleted {parse.GetValue(id)}.");
            return 0;
        }));

        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        command.Subcommands.Add(edit);
        command.Subcommands.Add(Toggle("pause", false, "Pause a schedule."));
        command.Subcommands.Add(Toggle("resume", true, "Resume a schedule from now on; firings missed while paused are not started."));
        command.Subcommands.Add(delete);
        return command;
    }

    private static async Task<int> WriteAsync(bool json, TextWriter output, ScheduleResponse schedule)
    {
        if (json)
        {
            await StoreCommand.WriteJsonAsync(output, schedule);
        }
        else
        {
            var next = schedule.NextFirings.Count > 0 ? schedule.NextFirings[0].ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) : "none (paused)";
            await output.WriteLineAsync($"{schedule.Id}  next firing: {next}");
        }

        return 0;
    }

    private static async Task<int> NotFoundAsync(TextWriter error, string id)
    {
        await error.WriteLineAsync($"codybatch: there is no schedule {id}; list them with 'codybatch schedules list'.");
        return RunCommand.BadInput;
    }
}
