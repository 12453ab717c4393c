namespace CodyBatch.Commands;

/// <summary>
/// <c>--no-shell</c> and <c>--network</c>: a job's shell and network, as <c>run</c>, <c>schedules add</c> and
/// <c>prompts add|edit</c> take them. Left out, each follows <paramref name="fallback"/> (the server's settings, or a saved
/// prompt's first); given, each can narrow the server's settings, never widen them.
/// </summary>
internal sealed class EnvironmentFlags(string fallback = "the server's")
{
    private readonly Option<bool> _noShell = new("--no-shell")
    {
        Description = $"Give Claude no shell (the bash tool) in the run's sandbox (default: {fallback} CodyBatch:Shell:Enabled).",
    };

    private readonly Option<string?> _network = NetworkOption(fallback);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_noShell);
        command.Options.Add(_network);
    }

    /// <summary>A short note for lists: <c>, no shell</c>, <c>, network: none</c>, or nothing for the defaults.</summary>
    public static string Describe(bool? shell, string? network) => (shell == false ? ", no shell" : "") + (network is null ? "" : $", network: {network}");

    /// <inheritdoc cref="Describe(bool?, string?)"/>
    public static string Describe(bool? shell, JobNetwork? network) => Describe(shell, network is { } n ? JobRequestValidator.NetworkText(n) : null);

    /// <summary>False with <c>--no-shell</c>, else null (the default).</summary>
    public bool? Shell(ParseResult parse) => parse.GetValue(_noShell) ? false : null;

    /// <summary><c>registries</c>, <c>none</c>, or null (the default).</summary>
    public string? Network(ParseResult parse) => parse.GetValue(_network);

    private static Option<string?> NetworkOption(string fallback)
    {
        var option = new Option<string?>("--network")
        {
            Description = $"What setup and the shell may reach: registries (the package registries on the server's allow-list) or none (default: {fallback} CodyBatch:Egress:Network).",
        };
        option.AcceptOnlyFromAmong("registries", "none");
        return option;
    }
}
