using System.ComponentModel.DataAnnotations;
using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Agent;

/// <summary>The triage setting under <c>CodyBatch:Agent</c>: the model of triage jobs that name none.</summary>
public sealed class TriageOptions
{
    /// <summary>The configuration section (shared with the agent's other settings).</summary>
    public const string Section = "CodyBatch:Agent";

    /// <summary>The model a triage job uses when it names none: a small, priced one, since triage only reads.</summary>
    [Required(ErrorMessage = "CodyBatch:Agent:TriageModel must name a Claude model.")]
    [RegularExpression(JobRequestValidator.ModelPattern, ErrorMessage = "CodyBatch:Agent:TriageModel is not a model name.")]
    public string TriageModel { get; set; } = "claude-haiku-4-5";
}
