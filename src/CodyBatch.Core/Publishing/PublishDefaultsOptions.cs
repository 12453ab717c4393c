using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Publishing;

/// <summary>Settings under <c>CodyBatch:Publish</c>: what pull requests look like when a job does not say.</summary>
public sealed class PublishDefaultsOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Publish";

    /// <summary>Open pull requests as drafts.</summary>
    public bool Draft { get; set; }

    /// <summary>Labels for every pull request.</summary>
    public string[] Labels { get; set; } = [];

    /// <summary>Users asked to review every pull request.</summary>
    public string[] Reviewers { get; set; } = [];

    /// <summary>Teams asked to review every pull request.</summary>
    public string[] TeamReviewers { get; set; } = [];

    /// <summary>Users every pull request is assigned to.</summary>
    public string[] Assignees { get; set; } = [];

    /// <summary>The start of branch names.</summary>
    public string BranchPrefix { get; set; } = PublishSettings.DefaultBranchPrefix;

    /// <summary>When pull requests are merged by Cody Batch: <c>never</c> (the default) or <c>green</c>.</summary>
    public string MergeWhen { get; set; } = "never";

    /// <summary>How: <c>merge</c> (the default), <c>squash</c> or <c>rebase</c>.</summary>
    public string MergeMethod { get; set; } = "merge";

    /// <summary>When an open pull request touches a file the change touches: <c>note</c> (the default) or <c>hold</c>.</summary>
    public string Overlap { get; set; } = "note";

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        PublishSettingsValidator.Resolve(
            new PublishChoices(),
            this,
            (field, message) => errors.Add(new($"{Section}:{PublishSettingsValidator.SettingName(field)}: {message}")));
        return errors;
    }

    /// <summary>The defaults as settings (assumes they validated).</summary>
    public PublishSettings ToSettings() => new()
    {
        Draft = Draft,
        Labels = Labels,
        Reviewers = Reviewers,
        TeamReviewers = TeamReviewers,
        Assignees = Assignees,
        BranchPrefix = BranchPrefix,
        Merge = new MergePolicy(
            Enum.TryParse<MergeWhen>(MergeWhen, ignoreCase: true, out var when) ? when : Publishing.MergeWhen.Never,
            Enum.TryParse<MergeMethod>(MergeMethod, ignoreCase: true, out var method) ? method : Publishing.MergeMethod.Merge),
        Overlap = Enum.TryParse<OverlapPolicy>(Overlap, ignoreCase: true, out var overlap) ? overlap : OverlapPolicy.Note,
    };
}
