using CodyBatch.Core.Jobs;
using CodyBatch.Core.Prompts;

namespace CodyBatch.Core.Campaigns;

/// <summary>
/// Checks a <see cref="CampaignRequest"/> and resolves its selection. The job settings are checked by the job's own
/// validator (field names <c>job.prompt</c>, <c>job.model</c>…), so a campaign accepts exactly what a job does.
/// </summary>
public sealed class CampaignRequestValidator(JobRequestValidator jobs, SelectionResolver resolver, ISavedPromptStore? prompts = null)
{
    /// <summary>Validates and resolves <paramref name="request"/>.</summary>
    public async Task<CampaignValidation> ValidateAsync(CampaignRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];

        var job = request.Job ?? new JobRequest();
        if (job.Repositories is { Count: > 0 })
        {
            Add("job.repositories", "Leave job.repositories out: the selection chooses a campaign's repositories.");
        }

        if (!string.IsNullOrWhiteSpace(request.SavedPromptId))
        {
            var saved = prompts is null ? null : await prompts.GetAsync(request.SavedPromptId.Trim(), cancellationToken);
            if (saved is null)
            {
                Add("savedPromptId", $"There is no saved prompt {request.SavedPromptId.Trim()}; pick one from GET /api/prompts or write job.prompt.");
            }
            else if (string.IsNullOrWhiteSpace(job.Prompt))
            {
                // The saved prompt's shell and network are checked here, so a refusal names it rather than job.shell.
                var (shell, network) = jobs.SavedPromptEnvironment(job.Shell, job.Network, saved, (field, message) => Add($"job.{field}", message));
                job = job with
                {
                    Prompt = saved.Prompt,
                    Mode = job.Mode ?? (saved.Mode == JobMode.Patch ? "patch" : null),
                    Model = job.Model ?? saved.Model,
                    Checks = job.Checks ?? (saved.Checks.Count > 0 ? [.. saved.Checks] : null),
                    Shell = shell,
                    Network = network,
                };
            }
        }

        var triage = TriageMode.Auto;
        if (request.Triage is { } triageText && !Enum.TryParse(triageText.Trim(), ignoreCase: true, out triage) || !Enum.IsDefined(triage))
        {
            Add("triage", $"Triage must be \"auto\", \"on\" or \"off\", not \"{request.Triage}\".");
        }

        if (request.CanaryJobs is < 0 or > CampaignLimits.MaxCanaryJobs)
        {
            Add("canaryJobs", $"canaryJobs is {request.CanaryJobs}; give 0 (no canary) to {CampaignLimits.MaxCanaryJobs} jobs of up to {CampaignLimits.RepositoriesPerJob} repositories.");
        }

        if (request.Concurrency is < 1 or > CampaignLimits.MaxConcurrency)
        {
            Add("concurrency", $"concurrency is {request.Concurrency}; give 1 to {CampaignLimits.MaxConcurrency} jobs at once.");
        }

        if (request.BudgetUsd is <= 0m or > 1_000_000m)
        {
            Add("budgetUsd", $"budgetUsd is {request.BudgetUsd}; give a positive amount in USD (at most 1,000,000), or leave it out for no budget.");
        }

        if (request.MaxOpenPullRequests is < 1 or > 10_000)
        {
            Add("maxOpenPullRequests", $"maxOpenPullRequests is {request.MaxOpenPullRequests}; give at least 1, or leave it out for no cap.");
        }

        if (request.MaxPullRequestsPerHour is < 1 or > 10_000)
        {
            Add("maxPullRequestsPerHour", $"maxPullRequestsPerHour is {request.MaxPullRequestsPerHour}; give at least 1, or leave it out for no cap.");
        }

        if (request.TriageModel is { } triageModel && !System.Text.RegularExpressions.Regex.IsMatch(triageModel, JobRequestValidator.ModelPattern))
        {
            Add("triageModel", $"\"{triageModel}\" is not a model name; leave it out for the server's triage model (CodyBatch:Agent:TriageModel).");
        }

        var selection = request.Selection ?? new RepositorySelection();
        var resolved = await resolver.ResolveAsync(selection, cancellationToken);
        foreach (var (field, messages) in resolved.Errors)
        {
            foreach (var message in messages)
            {
                Add(field, message);
            }
        }

        // The job's own validator checks every setting against one real repository of the selection.
        var sample = resolved.Repositories.Count > 0 ? resolved.Repositories[0] : "placeholder/placeholder";
        var jobValidation = jobs.Validate(job with { Title = request.Title ?? job.Title, Repositories = [sample] });
        foreach (var (field, messages) in jobValidation.Errors.Where(e => !e.Key.StartsWith("repositories", StringComparison.Ordinal)))
        {
            foreach (var message in messages)
            {
                Add(field == "title" ? "title" : $"job.{field}", message);
            }
        }

        if (errors.Count > 0 || jobValidation.Request is not { } valid)
        {
            return new CampaignValidation(null, resolved, errors);
        }

        var spec = new CampaignSpec
        {
            Title = valid.Title,
            Job = job with { Prompt = valid.Prompt, Title = valid.Title, Repositories = null },
            SavedPromptId = request.SavedPromptId?.Trim() is { Length: > 0 } id ? id : null,
            Selection = selection,
            Triage = triage == TriageMode.On || (triage == TriageMode.Auto && resolved.Repositories.Count > CampaignLimits.AutoTriageAbove),
            TriageModel = request.TriageModel,
            CanaryJobs = request.CanaryJobs ?? 1,
            Concurrency = request.Concurrency ?? CampaignLimits.DefaultConcurrency,
            BudgetUsd = request.BudgetUsd,
            MaxOpenPullRequests = request.MaxOpenPullRequests,
            MaxPullRequestsPerHour = request.MaxPullRequestsPerHour,
        };
        return new CampaignValidation(spec, resolved, errors);
    }
}
