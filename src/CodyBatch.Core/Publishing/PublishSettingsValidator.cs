using System.Text.RegularExpressions;

namespace CodyBatch.Core.Publishing;

/// <summary>
/// Checks a job's <see cref="PublishChoices"/> against GitHub's rules and merges them over the
/// server's defaults. Field names are the request's JSON names (<c>publish.labels[1]</c>, …).
/// </summary>
public static partial class PublishSettingsValidator
{
    /// <summary>Most labels on one pull request.</summary>
    public const int MaxLabels = 20;

    /// <summary>Longest label name GitHub accepts.</summary>
    public const int MaxLabelLength = 50;

    /// <summary>Most review requests (users and teams together).</summary>
    public const int MaxReviewRequests = 15;

    /// <summary>Most assignees GitHub keeps on one pull request.</summary>
    public const int MaxAssignees = 10;

    /// <summary>
    /// Merges <paramref name="choices"/> over <paramref name="defaults"/>; each problem goes to
    /// <paramref name="add"/> with its field, and the result is only meaningful when there was none.
    /// </summary>
    public static PublishSettings Resolve(PublishChoices? choices, PublishDefaultsOptions defaults, Action<string, string> add, PullRequests.RoundPolicy? roundDefaults = null)
    {
        choices ??= new PublishChoices();
        var labels = Names("publish.labels", choices.Labels ?? defaults.Labels, add, (field, label) =>
        {
            if (label.Length > MaxLabelLength)
            {
                add(field, $"The label \"{Shorten(label)}\" has {label.Length} characters; GitHub allows at most {MaxLabelLength}.");
                return false;
            }

            if (label.Any(char.IsControl))
            {
                add(field, "A label may not hold control characters such as line breaks.");
                return false;
            }

            return true;
        });
        if (labels.Count > MaxLabels)
        {
            add("publish.labels", $"{labels.Count} labels were given; use at most {MaxLabels}.");
        }

        var reviewers = Names("publish.reviewers", choices.Reviewers ?? defaults.Reviewers, add, Login);
        var teams = Names("publish.teamReviewers", choices.TeamReviewers ?? defaults.TeamReviewers, add, (field, team) =>
        {
            if (TeamRegex().IsMatch(team))
            {
                return true;
            }

            add(field, team.Contains('/', StringComparison.Ordinal)
                ? $"\"{Shorten(team)}\": give the team's slug alone (the part after the organization and '/'); the organization is the repository's owner."
                : $"\"{Shorten(team)}\" is not a team slug: use lower-case letters, digits, '-' or '_'.");
            return false;
        });
        if (reviewers.Count + teams.Count > MaxReviewRequests)
        {
            add("publish.reviewers", $"{reviewers.Count + teams.Count} reviewers and teams were given; GitHub takes at most {MaxReviewRequests} review requests.");
        }

        var assignees = Names("publish.assignees", choices.Assignees ?? defaults.Assignees, add, Login);
        if (assignees.Count > MaxAssignees)
        {
            add("publish.assignees", $"{assignees.Count} assignees were given; GitHub keeps at most {MaxAssignees}.");
        }

        var prefix = choices.BranchPrefix?.Trim() is { Length: > 0 } chosen ? chosen : defaults.BranchPrefix?.Trim() ?? "";
        if (!IsBranchPrefix(prefix))
        {
            add("publish.branchPrefix", $"\"{Shorten(prefix)}\" cannot start a branch name: use 1–100 letters, digits, '.', '_', '-' or '/', with no '..', '//', '@{{' or leading '/', '-' or '.', such as codybatch/.");
        }

        var merge = ResolveMerge(choices.Merge, defaults, add);
        var overlapText = choices.Overlap ?? defaults.Overlap;
        var overlap = OverlapPolicy.Note;
        if (overlapText?.Trim().ToLowerInvariant() is not ("note" or "hold"))
        {
            add("publish.overlap", $"\"{Shorten(overlapText ?? "")}\" is not an overlap choice: use note (open the pull request and name the overlapping ones) or hold (keep the change as a patch).");
        }
        else
        {
            overlap = overlapText.Trim().Equals("hold", StringComparison.OrdinalIgnoreCase) ? OverlapPolicy.Hold : OverlapPolicy.Note;
        }

        return new PublishSettings
        {
            Merge = merge,
            Overlap = overlap,
            Rounds = ResolveRounds(choices.Rounds, roundDefaults ?? new PullRequests.RoundPolicy(), add),
            Draft = choices.Draft ?? defaults.Draft,
            Labels = labels,
            Reviewers = reviewers,
            TeamReviewers = teams,
            Assignees = assignees,
            BranchPrefix = prefix,
        };

        bool Login(string field, string login)
        {
            if (LoginRegex().IsMatch(login))
            {
                return true;
            }

            add(field, $"\"{Shorten(login)}\" is not a GitHub login: use 1–39 letters, digits or inner hyphens.");
            return false;
        }
    }

    private static PullRequests.RoundPolicy? ResolveRounds(RoundChoices? choices, PullRequests.RoundPolicy defaults, Action<string, string> add)
    {
        if (choices is null)
        {
            return null;
        }

        if (choices.MaxRounds is < 0 or > 10)
        {
            add("publish.rounds.maxRounds", $"{choices.MaxRounds} rounds per pull request: use 0 (none) to 10.");
        }

        if (choices.MaxCostUsd is < 0.01m or > 10_000m)
        {
            add("publish.rounds.maxCostUsd", $"${choices.MaxCostUsd} per round: use 0.01 to 10,000 US dollars.");
        }

        return new PullRequests.RoundPolicy(
            choices.Reviews ?? defaults.Reviews,
            choices.Mentions ?? defaults.Mentions,
            choices.FailingChecks ?? defaults.FailingChecks,
            choices.Conflicts ?? defaults.Conflicts,
            choices.MaxRounds ?? defaults.MaxRounds,
            choices.MaxCostUsd ?? defaults.MaxCostUsd);
    }

    private static MergePolicy ResolveMerge(MergeChoices? choices, PublishDefaultsOptions defaults, Action<string, string> add)
    {
        var when = choices?.When ?? defaults.MergeWhen;
        var method = choices?.Method ?? defaults.MergeMethod;
        var policy = MergePolicy.Never;
        if (when?.Trim().ToLowerInvariant() is "never" or "green")
        {
            policy = policy with { When = when.Trim().Equals("green", StringComparison.OrdinalIgnoreCase) ? MergeWhen.Green : MergeWhen.Never };
        }
        else
        {
            add("publish.merge.when", $"\"{Shorten(when ?? "")}\" is not a merge choice: use never or green.");
        }

        switch (method?.Trim().ToLowerInvariant())
        {
            case "merge":
                break;
            case "squash":
                policy = policy with { Method = MergeMethod.Squash };
                break;
            case "rebase":
                policy = policy with { Method = MergeMethod.Rebase };
                break;
            default:
                add("publish.merge.method", $"\"{Shorten(method ?? "")}\" is not a merge method: use merge, squash or rebase.");
                break;
        }

        return policy;
    }

    /// <summary>The setting name under <c>CodyBatch:Publish</c> for a request field.</summary>
    public static string SettingName(string field)
    {
        if (field.StartsWith("publish.merge.", StringComparison.Ordinal))
        {
            return field == "publish.merge.when" ? "MergeWhen" : "MergeMethod";
        }

        var name = field.Replace("publish.", "", StringComparison.Ordinal).Split('[')[0];
        return char.ToUpperInvariant(name[0]) + name[1..];
    }

    /// <summary>True when <paramref name="prefix"/> can start a git branch name.</summary>
    public static bool IsBranchPrefix(string prefix) =>
        BranchPrefixRegex().IsMatch(prefix)
        && !prefix.Contains("..", StringComparison.Ordinal)
        && !prefix.Contains("//", StringComparison.Ordinal)
        && !prefix.Contains("/.", StringComparison.Ordinal)
        && !prefix.Contains(".lock/", StringComparison.OrdinalIgnoreCase);

    private static List<string> Names(string field, IEnumerable<string?> given, Action<string, string> add, Func<string, string, bool> check)
    {
        var names = new List<string>();
        var i = 0;
        foreach (var raw in given)
        {
            var itemField = $"{field}[{i++}]";
            var name = raw?.Trim().TrimStart('@') ?? "";
            if (name.Length == 0)
            {
                add(itemField, "An entry is empty; remove it or fill it in.");
                continue;
            }

            if (check(itemField, name) && !names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")]
    private static partial Regex LoginRegex();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")]
    private static partial Regex TeamRegex();

    [GeneratedRegex(@"^(?![/.-])[A-Za-z0-9._/-]{1,100}$")]
    private static partial Regex BranchPrefixRegex();
}
