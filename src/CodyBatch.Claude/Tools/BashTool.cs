using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Environments;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// Anthropic's bash tool (<c>bash_20250124</c>, name <c>bash</c>): input <c>command</c>, or <c>restart: true</c>.
/// Runs the command in the run's persistent shell session inside its sandbox and answers the output (start and end
/// when long), the exit code and the time, or the limit that stopped it.
/// </summary>
internal sealed class BashTool(RunShell? shell)
{
    public const string Type = "bash_20250124";
    public const string Name = "bash";

    /// <summary>The definition as Anthropic documents it: the type and the name, nothing else.</summary>
    public static JsonObject Definition() => new() { ["type"] = Type, ["name"] = Name };

    public async Task<string> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        if (shell is null)
        {
            throw new ToolException("The shell is not available in this run.");
        }

        if (input["restart"] is JsonValue restart && restart.GetValueKind() == JsonValueKind.True)
        {
            await shell.RestartAsync(cancellationToken);
            return "The shell was restarted: a fresh session in /repo with no variables set.";
        }

        var command = ToolInput.RequiredString(input, "command", Name);
        ShellCommandResult result;
        try
        {
            result = await shell.RunAsync(command, cancellationToken);
        }
        catch (CheckSandboxUnavailableException e)
        {
            throw new ToolException(e.Message);
        }

        return Format(result);
    }

    /// <summary>The text Claude reads: the output, then one line with the exit code and time, or the limit.</summary>
    public static string Format(ShellCommandResult result)
    {
        var text = new StringBuilder(result.Output.Length == 0 ? "(no output)\n" : result.Output);
        if (text[^1] != '\n')
        {
            text.Append('\n');
        }

        var seconds = string.Create(CultureInfo.InvariantCulture, $"{result.Duration.TotalSeconds:0.0} s");
        text.Append(result.ExitCode is { } code ? $"[exit code {code.ToString(CultureInfo.InvariantCulture)} · {seconds}]" : $"[no exit code · {seconds}]");
        if (result.Limit is { } limit)
        {
            text.Append('\n').Append(limit);
        }

        return text.ToString();
    }
}
