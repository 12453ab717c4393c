using System.Text.RegularExpressions;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Publishing;
using CodyBatch.Core.Repositories;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Jobs;

/// <summary>
/// Checks a <see cref="JobRequest"/> and says, per field, what to fix. Field names are the
/// request's JSON names (<c>prompt</c>, <c>repositories[2]</c>, …) so a form can show each
/// message beside its field.
/// </summary>
public sealed partial class JobRequestValidator(
    IOptions<CodyBatchOptions> options,
    IModelPriceCheck? models = null,
    IOptions<PublishDefaultsOptions>? publishDefaults = null,
    IOptions<Environments.ShellOptions>? shellOptions = null,
    IOptions<Environments.EgressOptions>? egressOptions = null,
    IOptions<TriageOptions>? triageOptions = null,
    IOptions<PullRequests.ShepherdOptions>? shepherdOptions = null)
{
    /// <summary>Most repositories in one job.</summary>
    public const int MaxRepositories = 5;

    /// <summary>Longest prompt, in characters.</summary>
    public const int MaxPromptLength = 20_000;

    /// <summary>Longest title, in characters.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The smallest extended-thinking budget the API accepts.</summary>
    public const int MinThinkingBudget = 1_024;

    /// <summary>The largest extended-thinking budget a job may ask for.</summary>
    public const int MaxThinkingBudget = 64_000;

    /// <summary>The smallest job budget, in US dollars.</summary>
    public const decimal MinBudgetUsd = 0.01m;

    /// <summary>The largest job budget, in US dollars.</summary>
    public const decimal MaxBudgetUsd = 10_000m;

    /// <summary>What a model name may look like.</summary>
    public const string ModelPattern = "^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}\\z";

    /// <summary>Validates <paramref name="request"/>; returns the normalised request or the errors.</summary>
    public ValidationResult Validate(JobRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        var prompt = request.Prompt?.Trim();
        if (string.IsNullOrEmpty(prompt))
        {
            Add("prompt", "Write a prompt: the instruction Claude follows in every repository.");
        }
        else if (prompt.Length > MaxPromptLength)
        {
            Add("prompt", $"The prompt has {prompt.Length:N0} characters; shorten it to at most {MaxPromptLength:N0}.");
        }
        else if (ControlCharacter(prompt, allowLineBreaks: true) is { } promptControl)
        {
            Add("prompt", $"The prompt contains the control character {promptControl}; remove it (line breaks and tabs are fine).");
        }

        var repositories = new List<RequestedRepository>();
        var requested = request.Repositories ?? [];
        if (requested.Count == 0)
        {
            Add("repositories", "Pick at least one repository (as owner/name).");
        }
        else if (requested.Count > MaxRepositories)
        {
            Add("repositories", $"A job takes at most {MaxRepositories} repositories; {requested.Count} were given. Split them over several jobs.");
        }

        var allowed = options.Value.AllowedRepositories.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray();
        for (var i = 0; i < requested.Count; i++)
        {
            var field = $"repositories[{i}]";
            var text = requested[i]?.Trim() ?? "";
            if (LocalRepository.IsLocal(text))
            {
                if (ValidateLocal(text, repositories) is { } localProblem)
                {
                    Add(field, localProblem);
                }

                continue;
            }

            if (!RepositoryName.TryParse(text, out var parsed, out var problem))
            {
                Add(field, problem);
                continue;
            }

            if (repositories.Any(r => r.Source is null && string.Equals(r.Name, parsed, StringComparison.OrdinalIgnoreCase)))
            {
                Add(field, $"{parsed} is listed twice; list each repository once.");
                continue;
            }

            if (allowed.Length > 0 && !allowed.Any(p => RepositoryName.MatchesPattern(parsed, p)))
            {
                Add(field, $"{parsed} is not in the allowed repositories ({string.Join(", ", allowed)}); ask an operator to allow it in CodyBatch:AllowedRepositories.");
                continue;
            }

            repositories.Add(new RequestedRepository(parsed));
        }

        JobMode mode = JobMode.PullRequest;
        if (request.Mode is { } modeText && !TryParseMode(modeText, out mode))
        {
            Add("mode", $"Mode must be \"pullRequest\", \"patch\" or \"triage\", not \"{Shorten(modeText)}\".");
        }

        // A triage job only reads, so it takes the small triage model unless it names one.
        var defaultModel = mode == JobMode.Triage ? triageOptions?.Value.TriageModel ?? new TriageOptions().TriageModel : options.Value.DefaultModel;
        var model = string.IsNullOrWhiteSpace(request.Model) ? defaultModel : request.Model.Trim();
        if (!ModelRegex().IsMatch(model))
        {
            Add("model", $"\"{Shorten(model)}\" is not a model name; use a Claude model id such as {options.Value.DefaultModel}.");
        }
        else if (models?.Refuse(model) is { } refused)
        {
            Add("model", refused);
        }

        if (request.ThinkingBudgetTokens is { } thinking and (< MinThinkingBudget or > MaxThinkingBudget))
        {
            Add("thinkingBudgetTokens", $"The thinking budget is {thinking:N0} tokens; give between {MinThinkingBudget:N0} and {MaxThinkingBudget:N0}, or leave it out for no extended thinking.");
        }

        if (request.BudgetUsd is { } budget and (< MinBudgetUsd or > MaxBudgetUsd))
        {
            Add("budgetUsd", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The job's budget is ${budget}; give between ${MinBudgetUsd} and ${MaxBudgetUsd:N0} (US dollars, all its runs together), or leave it out for none."));
        }

        var title = string.IsNullOrWhiteSpace(request.Title) ? null : request.Title.Trim();
        if (title is { Length: > MaxTitleLength })
        {
            Add("title", $"The title has {title.Length} characters; shorten it to at most {MaxTitleLength}.");
        }
        else if (title is not null && ControlCharacter(title, allowLineBreaks: false) is { } titleControl)
        {
            Add("title", $"The title contains the control character {titleControl}; a title is one line of text.");
        }

        var checks = request.Checks?.Select(c => c?.Trim() ?? "").ToList();
        if (checks is { Count: > CheckDetector.MaxChecks })
        {
            Add("checks", $"A job takes at most {CheckDetector.MaxChecks} checks; {checks.Count} were given.");
        }

        for (var i = 0; i < (checks?.Count ?? 0); i++)
        {
            if (checks![i].Length == 0)
            {
                Add($"checks[{i}]", "Write a command line, such as npm test; leave out empty checks.");
            }
            else if (checks[i].Length > CheckDetector.MaxCommandLength)
            {
                Add($"checks[{i}]", $"The command has {checks[i].Length:N0} characters; shorten it to at most {CheckDetector.MaxCommandLength:N0}.");
            }
            else if (checks.IndexOf(checks[i]) < i)
            {
                Add($"checks[{i}]", $"\"{Shorten(checks[i])}\" is listed twice; list each check once.");
            }
        }

        var (shell, network) = ResolveEnvironment(request, Add);
        var publish = PublishSettingsValidator.Resolve(request.Publish, publishDefaults?.Value ?? new PublishDefaultsOptions(), Add, shepherdOptions?.Value.Policy);

        return errors.Count > 0
            ? ValidationResult.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
            : ValidationResult.Valid(new ValidJobRequest(prompt!, title, mode, model, repositories, request.ThinkingBudgetTokens, publish) { Checks = checks, Shell = shell, Network = network, BudgetUsd = request.BudgetUsd });
    }

    // The shell and the network: the server's settings when the request leaves them out; a job may narrow them, never widen them.
    private (bool Shell, JobNetwork Network) ResolveEnvironment(JobRequest request, Action<string, string> add)
    {
        var serverShell = shellOptions?.Value.Enabled ?? true;
        var network = CheckEnvironment(request.Shell, request.Network, add) ?? egressOptions?.Value.ServerNetwork ?? JobNetwork.Registries;
        return ((request.Shell ?? serverShell) && serverShell, network);
    }

    /// <summary>
    /// Checks a job's <c>shell</c> and <c>network</c> fields against the server's settings (a job may narrow them, never
    /// widen them), adding a message per field to <paramref name="add"/>. Saved prompts and schedules, which carry the
    /// same fields, are checked with it too. Returns the network asked for, or null when none was (or it was wrong).
    /// </summary>
    public JobNetwork? CheckEnvironment(bool? shell, string? network, Action<string, string> add)
    {
        ArgumentNullException.ThrowIfNull(add);
        var serverShell = shellOptions?.Value.Enabled ?? true;
        var serverNetwork = egressOptions?.Value.ServerNetwork ?? JobNetwork.Registries;
        if (shell == true && !serverShell)
        {
            add("shell", "This server gives Claude no shell (CodyBatch:Shell:Enabled is false), so a job cannot ask for one; leave shell out or set it to false.");
        }

        if (network is null)
        {
            return null;
        }

        if (!TryParseNetwork(network, out var parsed))
        {
            add("network", $"Network must be \"registries\" (the package registries on the server's allow-list) or \"none\", not \"{Shorten(network)}\".");
            return null;
        }

        if (parsed == JobNetwork.Registries && serverNetwork == JobNetwork.None)
        {
            add("network", "This server allows no network for setup and the shell (CodyBatch:Egress:Network is none, or CodyBatch:Egress:AllowedDomains is empty), so a job cannot ask for the registries; leave network out or set it to \"none\".");
            return null;
        }

        return parsed;
    }

    /// <summary>
    /// The shell and network a job started from a request and its <paramref name="saved"/> prompt takes: the request's
    /// own (<paramref name="shell"/>, <paramref name="network"/>, checked on their own), else the saved prompt's. A saved
    /// prompt's value this server no longer allows (it was saved before the server narrowed the shell or the network)
    /// adds a message that names the saved prompt as what to fix and is left out of what is returned.
    /// </summary>
    public (bool? Shell, string? Network) SavedPromptEnvironment(bool? shell, string? network, Prompts.SavedPrompt saved, Action<string, string> add)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(add);
        var savedShell = shell is null ? saved.Shell : null;
        var savedNetwork = network is null && saved.Network is { } value ? NetworkText(value) : null;
        var refused = new HashSet<string>(StringComparer.Ordinal);
        CheckEnvironment(savedShell, savedNetwork, (field, _) => refused.Add(field));
        var named = $"The saved prompt \"{saved.Name}\" ({saved.Id})";
        if (refused.Contains("shell"))
        {
            add("shell", $"{named} asks for a shell, and this server gives Claude no shell (CodyBatch:Shell:Enabled is false); edit the saved prompt to leave shell out or set it to false, or set shell to false in this request.");
        }

        if (refused.Contains("network"))
        {
            add("network", $"{named} asks for the registries network, and this server allows no network for setup and the shell (CodyBatch:Egress:Network is none, or CodyBatch:Egress:AllowedDomains is empty); edit the saved prompt to leave network out or set it to \"none\", or set network to \"none\" in this request.");
        }

        return (shell ?? (refused.Contains("shell") ? null : savedShell), network ?? (refused.Contains("network") ? null : savedNetwork));
    }

    /// <summary>The request field's text for <paramref name="network"/>: <c>registries</c> or <c>none</c>.</summary>
    public static string NetworkText(JobNetwork network) => network == JobNetwork.None ? "none" : "registries";

    /// <summary>Parses <c>registries</c> or <c>none</c>, ignoring case and surrounding spaces.</summary>
    public static bool TryParseNetwork(string text, out JobNetwork network)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "REGISTRIES":
                network = JobNetwork.Registries;
                return true;
            case "NONE":
                network = JobNetwork.None;
                return true;
            default:
                network = default;
                return false;
        }
    }

    /// <summary>Adds a local repository to <paramref name="repositories"/>, or says why it cannot be one.</summary>
    private string? ValidateLocal(string text, List<RequestedRepository> repositories)
    {
        if (!options.Value.AllowLocalRepositories)
        {
            return $"\"{Shorten(text)}\" is a local path, and local repositories are turned off here; name the repository as owner/name (CodyBatch:AllowLocalRepositories turns them on).";
        }

        if (!LocalRepository.TryNormalize(text, Environment.CurrentDirectory, out var source, out var problem))
        {
            return problem;
        }

        if (repositories.Any(r => string.Equals(r.Source, source, StringComparison.Ordinal)))
        {
            return $"{source} is listed twice; list each repository once.";
        }

        // Two folders with the same name still get runs of their own.
        var name = LocalRepository.DisplayName(source);
        var unique = name;
        for (var n = 2; repositories.Any(r => string.Equals(r.Name, unique, StringComparison.OrdinalIgnoreCase)); n++)
        {
            unique = $"{name}-{n}";
        }

        repositories.Add(new RequestedRepository(unique, source));
        return null;
    }

    /// <summary>Parses <c>pullRequest</c>/<c>pull-request</c>, <c>patch</c> or <c>triage</c>, ignoring case.</summary>
    public static bool TryParseMode(string text, out JobMode mode)
    {
        switch (text.Trim().Replace("-", "", StringComparison.Ordinal).ToUpperInvariant())
        {
            case "PULLREQUEST":
                mode = JobMode.PullRequest;
                return true;
            case "PATCH":
                mode = JobMode.Patch;
                return true;
            case "TRIAGE":
                mode = JobMode.Triage;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    // The first control character (U+0000–U+001F, U+007F–U+009F) as "U+0000 at position 3", or null.
    private static string? ControlCharacter(string text, bool allowLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
            {
                return $"U+{(int)c:X4} at position {i + 1}";
            }
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(ModelPattern)]
    private static partial Regex ModelRegex();
}
