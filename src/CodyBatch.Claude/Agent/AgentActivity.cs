using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Engine;

namespace CodyBatch.Claude.Agent;

/// <summary>Says on the run which turn Claude is on and which tool it calls, e.g. <c>turn 7 · search_code `query(`</c>.</summary>
internal static class AgentActivity
{
    private const int MaxArgument = 60;

    /// <summary>Claude is answering turn <paramref name="turn"/>.</summary>
    public static Task WaitingAsync(int turn) => ReportAsync($"turn {turn} · waiting for Claude");

    /// <summary>Turn <paramref name="turn"/> runs the tool <paramref name="name"/> on its main argument.</summary>
    public static Task ToolAsync(int turn, string name, JsonObject input)
    {
        if (name == Tools.BashTool.Name)
        {
            return ReportAsync(input["command"] is JsonValue shell && shell.TryGetValue<string>(out var line)
                ? $"turn {turn} · running: {Shorten(line)}"
                : $"turn {turn} · restarting the shell");
        }

        var argument = First(input, "pattern", "path", "from", "command");
        var command = input["command"] is JsonValue c && c.TryGetValue<string>(out var text) && argument != text ? $" {text}" : "";
        return ReportAsync(argument is null ? $"turn {turn} · {name}{command}" : $"turn {turn} · {name}{command} `{Shorten(argument)}`");
    }

    // What Claude wrote reaches terminals (the CLI's live view) and logs: it is reported inert.
    private static Task ReportAsync(string activity) => RunActivity.Current?.ReportAsync(InertText.Of(activity)) ?? Task.CompletedTask;

    private static string? First(JsonObject input, params string[] names)
    {
        foreach (var name in names)
        {
            if (input[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return null;
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Replace('`', '\'');
        return line.Length <= MaxArgument ? line : line[..(MaxArgument - 1)] + "…";
    }
}
