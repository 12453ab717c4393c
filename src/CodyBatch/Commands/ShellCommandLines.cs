using CodyBatch.Core.Agent;

namespace CodyBatch.Commands;

/// <summary>
/// The shell commands of a run's thread as lines for the terminal (<c>$ npm ci → exit 0 in 4.2 s</c>): the command's
/// first line with every control character shown as a visible escape, so a command the agent wrote cannot move the
/// cursor, recolour or retitle the terminal that prints it.
/// </summary>
internal static class ShellCommandLines
{
    /// <summary>At most this many commands are listed, the last ones; a line says how many came before.</summary>
    public const int Shown = 20;

    /// <summary>Reads the thread document (<c>{ "entries": [ { "type": "shell", … } ] }</c>) and describes its shell commands.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(Stream thread, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(thread, cancellationToken: cancellationToken);
        if (!document.RootElement.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var lines = new List<string>();
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || Text(entry, "type") != "shell")
            {
                continue;
            }

            if (Text(entry, "command") is { } command)
            {
                lines.Add($"$ {InertText.Of(FirstLine(command))} → {Ending(entry)}");
            }
            else if (entry.TryGetProperty("restart", out var restart) && restart.ValueKind == JsonValueKind.True)
            {
                lines.Add("(the shell was restarted)");
            }
        }

        return lines.Count <= Shown ? lines : [$"({lines.Count - Shown} earlier commands not listed)", .. lines[^Shown..]];
    }

    private static string Ending(JsonElement entry)
    {
        var seconds = entry.TryGetProperty("durationMs", out var ms) && ms.TryGetInt64(out var value)
            ? (value / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : "?";
        var ending = Text(entry, "limit") is { } limit
            ? InertText.Of(limit)
            : entry.TryGetProperty("exitCode", out var code) && code.TryGetInt32(out var exit) ? $"exit {exit} in {seconds}" : $"ended in {seconds}";
        return entry.TryGetProperty("cutChars", out var cut) && cut.TryGetInt64(out var chars) && chars > 0
            ? $"{ending}, {chars.ToString(CultureInfo.InvariantCulture)} characters of output cut"
            : ending;
    }

    private static string FirstLine(string command)
    {
        var trimmed = command.Trim();
        var end = trimmed.IndexOfAny(['\n', '\r']);
        var first = end < 0 ? trimmed : trimmed[..end] + " …";
        return first.Length <= 120 ? first : first[..119] + "…";
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
