using CodyBatch.Core.Prompts;
using CodyBatch.Prompts;

namespace CodyBatch.Commands;

/// <summary><c>codybatch prompts list|add|edit|delete</c>: saved prompts in the local job store.</summary>
internal static class PromptsCommand
{
    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var command = new Command("prompts", "Saved prompts: your own templates, beside the built-in ones.");
        var data = StoreCommand.DataOption();
        var json = StoreCommand.JsonOption();

        var list = new Command("list", "List saved prompts by name.") { data, json };
        list.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, _) =>
        {
            var prompts = await services.GetRequiredService<SavedPromptService>().ListAsync(ct);
            if (parse.GetValue(json))
            {
                await StoreCommand.WriteJsonAsync(output, prompts.Select(SavedPromptResponse.From));
                return 0;
            }

            foreach (var p in prompts)
            {
                await output.WriteLineAsync($"{p.Id}  {p.Name}  ({(p.Mode == Core.Jobs.JobMode.Patch ? "patch" : "pull request")}{(p.Checks.Count > 0 ? $", checks: {string.Join("; ", p.Checks)}" : "")}{EnvironmentFlags.Describe(p.Shell, p.Network)})");
            }

            return 0;
        }));

        var name = new Option<string>("--name") { Description = "What the picker shows.", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The prompt text.", Required = true };
        var description = new Option<string?>("--description") { Description = "One sentence on what it does." };
        var mode = new Option<string?>("--mode") { Description = "pullRequest (default) or patch." };
        var checks = new Option<string[]>("--check") { Description = "A check command (repeat for more), like 'npm test'.", AllowMultipleArgumentsPerToken = false };
        var model = new Option<string?>("--model") { Description = "The Claude model (default: CodyBatch:DefaultModel)." };
        var environment = new EnvironmentFlags();
        SavedPromptRequest Request(ParseResult parse) => new()
        {
            Name = parse.GetValue(name),
            Prompt = parse.GetValue(prompt),
            Description = parse.GetValue(description),
            Mode = parse.GetValue(mode),
            Checks = parse.GetValue(checks),
            Model = parse.GetValue(model),
            Shell = environment.Shell(parse),
            Network = environment.Network(parse),
        };

        var add = new Command("add", "Save a prompt; prints its id.") { name, prompt, description, mode, checks, model, data, json };
        environment.AddTo(add);
        add.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, (services, output, error) =>
            WriteAsync(parse.GetValue(json), output, error, services.GetRequiredService<SavedPromptService>().CreateAsync(Request(parse), ct))));

        var id = new Argument<string>("id") { Description = "The saved prompt's id (prompt-…)." };
        var edit = new Command("edit", "Replace a saved prompt's fields.") { id, name, prompt, description, mode, checks, model, data, json };
        environment.AddTo(edit);
        edit.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, (services, output, error) =>
            WriteAsync(parse.GetValue(json), output, error, services.GetRequiredService<SavedPromptService>().UpdateAsync(parse.GetValue(id)!, Request(parse), ct))));

        var delete = new Command("delete", "Delete a saved prompt.") { id, data };
        delete.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
        {
            if (await services.GetRequiredService<SavedPromptService>().DeleteAsync(parse.GetValue(id)!, ct))
            {
                await output.WriteLineAsync($"Deleted {parse.GetValue(id)}.");
                return 0;
            }

            await error.WriteLineAsync($"codybatch: there is no saved prompt {parse.GetValue(id)}; list them with 'codybatch prompts list'.");
            return RunCommand.BadInput;
        }));

        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        command.Subcommands.Add(edit);
        command.Subcommands.Add(delete);
        return command;
    }

    private static async Task<int> WriteAsync(bool json, TextWriter output, TextWriter error, Task<SavedPromptResult> pending)
    {
        var result = await pending;
        if (result.NotFound)
        {
            await error.WriteLineAsync("codybatch: there is no such saved prompt; list them with 'codybatch prompts list'.");
            return RunCommand.BadInput;
        }

        if (result.Prompt is not { } saved)
        {
            return await StoreCommand.ErrorsAsync(error, result.Errors);
        }

        if (json)
        {
            await StoreCommand.WriteJsonAsync(output, SavedPromptResponse.From(saved));
        }
        else
        {
            await output.WriteLineAsync(saved.Id);
        }

        return 0;
    }
}
