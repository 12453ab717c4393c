using CodyBatch.Core.Publishing;

namespace CodyBatch.Commands;

/// <summary>The <c>run</c> options that shape pull requests; what is not given takes the server's defaults (<c>CodyBatch:Publish</c>).</summary>
internal sealed class PublishFlags
{
    private readonly Option<bool?> _draft = new("--draft")
    {
        Description = "Open pull requests as drafts (--draft false opens them ready, whatever CodyBatch:Publish:Draft says).",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private readonly Option<string[]> _labels = List("--label", "A label for each pull request; repeat for more. Missing labels are created, or skipped with a note.");
    private readonly Option<string[]> _reviewers = List("--reviewer", "A GitHub login asked to review; repeat for more.");
    private readonly Option<string[]> _teamReviewers = List("--team-reviewer", "A team (its slug in the repository's organization) asked to review; repeat for more.");
    private readonly Option<string[]> _assignees = List("--assignee", "A GitHub login the pull request is assigned to; repeat for more.");
    private readonly Option<string?> _merge = new("--merge") { Description = "never or green: merge each pull request once its checks pass and its review allows it (default: CodyBatch:Publish:MergeWhen, never)." };
    private readonly Option<string?> _mergeMethod = new("--merge-method") { Description = "merge, squash or rebase (default: CodyBatch:Publish:MergeMethod, merge)." };
    private readonly Option<string[]> _roundsOff = List(
        "--rounds-off", "A follow-up round trigger to turn off for this job: reviews, mentions, failingChecks or conflicts; repeat for more (default: CodyBatch:Shepherd).");
    private readonly Option<int?> _maxRounds = new("--max-rounds") { Description = "Follow-up rounds per pull request, 0 to 10 (default: CodyBatch:Shepherd:MaxRounds, 2)." };
    private readonly Option<decimal?> _roundCost = new("--round-max-cost") { Description = "What one follow-up round may spend, in US dollars (default: CodyBatch:Shepherd:RoundMaxCostUsd, 2)." };
    private readonly Option<string?> _branchPrefix = new("--branch-prefix") { Description = "What branch names start with (default: CodyBatch:Publish:BranchPrefix, codybatch/)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_draft);
        command.Options.Add(_labels);
        command.Options.Add(_reviewers);
        command.Options.Add(_teamReviewers);
        command.Options.Add(_assignees);
        command.Options.Add(_branchPrefix);
        command.Options.Add(_merge);
        command.Options.Add(_mergeMethod);
        command.Options.Add(_roundsOff);
        command.Options.Add(_maxRounds);
        command.Options.Add(_roundCost);
        _roundsOff.AcceptOnlyFromAmong("reviews", "mentions", "failingChecks", "conflicts");
    }

    /// <summary>The choices given on the command line; lists not given stay null so the defaults apply.</summary>
    public PublishChoices Read(ParseResult parse) => new()
    {
        Draft = parse.GetValue(_draft),
        Labels = Given(parse, _labels),
        Reviewers = Given(parse, _reviewers),
        TeamReviewers = Given(parse, _teamReviewers),
        Assignees = Given(parse, _assignees),
        BranchPrefix = parse.GetValue(_branchPrefix),
        Merge = parse.GetValue(_merge) is null && parse.GetValue(_mergeMethod) is null
            ? null
            : new MergeChoices { When = parse.GetValue(_merge), Method = parse.GetValue(_mergeMethod) },
        Rounds = Rounds(parse),
    };

    // Left out altogether when no round option was given, so the job follows the server's settings.
    private RoundChoices? Rounds(ParseResult parse)
    {
        var off = Given(parse, _roundsOff) ?? [];
        if (off.Length == 0 && parse.GetValue(_maxRounds) is null && parse.GetValue(_roundCost) is null)
        {
            return null;
        }

        bool? Off(string trigger) => off.Contains(trigger, StringComparer.Ordinal) ? false : null;
        return new RoundChoices
        {
            Reviews = Off("reviews"),
            Mentions = Off("mentions"),
            FailingChecks = Off("failingChecks"),
            Conflicts = Off("conflicts"),
            MaxRounds = parse.GetValue(_maxRounds),
            MaxCostUsd = parse.GetValue(_roundCost),
        };
    }

    private static string[]? Given(ParseResult parse, Option<string[]> option) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;

    private static Option<string[]> List(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
