using CodyBatch.Core.Configuration;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Campaigns;

/// <summary>
/// Resolves a campaign's selection against the repositories the service account can see: the explicit list as
/// given, then every visible repository that matches all the filters (any name pattern, the organization, the
/// topic, the language), archived ones and forks left out unless asked for. The allowed-repository patterns apply
/// to every repository: an explicit one outside them is an error, a matched one is left out with the reason.
/// </summary>
public sealed class SelectionResolver(IOptions<CodyBatchOptions> options, IRepositoryDirectory? directory = null)
{
    /// <summary>Resolves <paramref name="selection"/>; field names in the errors are the request's (<c>selection.patterns[1]</c>).</summary>
    public async Task<ResolvedSelection> ResolveAsync(RepositorySelection selection, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
        var allowed = options.Value.AllowedRepositories.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray();
        bool Allowed(string name) => allowed.Length == 0 || allowed.Any(p => RepositoryName.MatchesPattern(name, p));

        var selected = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var explicitList = selection.Repositories ?? [];
        for (var i = 0; i < explicitList.Count; i++)
        {
            if (!RepositoryName.TryParse(explicitList[i]?.Trim(), out var name, out var problem))
            {
                Add($"selection.repositories[{i}]", problem);
            }
            else if (!Allowed(name))
            {
                Add($"selection.repositories[{i}]", $"{name} is not in the allowed repositories ({string.Join(", ", allowed)}); remove it or ask an operator to allow it in CodyBatch:AllowedRepositories.");
            }
            else if (seen.Add(name))
            {
                selected.Add(name);
            }
        }

        var patterns = (selection.Patterns ?? []).Select(p => p?.Trim() ?? "").ToList();
        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i].Length is 0 or > 200 || !patterns[i].Contains('/', StringComparison.Ordinal))
            {
                Add($"selection.patterns[{i}]", $"\"{Shorten(patterns[i])}\" is not a name pattern; write owner/name with * for any characters, such as acme/* or acme/api-*.");
            }
        }

        CheckWord(selection.Organization, "selection.organization", "an organization or user login, such as acme", Add);
        CheckWord(selection.Topic, "selection.topic", "a topic, such as payments", Add);
        CheckWord(selection.Language, "selection.language", "a language, such as C# or Go", Add);
        if (explicitList.Count == 0 && !selection.Filters)
        {
            Add("selection", "Choose repositories: list them (selection.repositories) or filter the visible ones by name patterns, organization, topic or language.");
        }

        var excluded = new List<ExcludedRepository>();
        if (errors.Count == 0 && selection.Filters)
        {
            if (directory is null)
            {
                Add("selection", "This server has no repository host that lists repositories; list the repositories by name instead.");
            }
            else
            {
                var organization = string.IsNullOrWhiteSpace(selection.Organization) ? null : selection.Organization.Trim();
                IReadOnlyList<RepositoryListing> visible;
                try
                {
                    visible = await directory.ListAsync(organization, cancellationToken);
                }
                catch (RunFailedException e)
                {
                    Add("selection", $"The visible repositories could not be listed: {e.Message}");
                    visible = [];
                }

                foreach (var repository in visible.OrderBy(r => r.FullName, StringComparer.OrdinalIgnoreCase))
                {
                    if (!Matches(repository, selection, patterns, organization) || seen.Contains(repository.FullName))
                    {
                        continue;
                    }

                    var reason = repository switch
                    {
                        { Archived: true } when selection.IncludeArchived != true => "archived (set selection.includeArchived to keep it)",
                        { Fork: true } when selection.IncludeForks != true => "a fork (set selection.includeForks to keep it)",
                        _ when !Allowed(repository.FullName) => "not in the allowed repositories (CodyBatch:AllowedRepositories)",
                        _ => null,
                    };
                    if (reason is null)
                    {
                        seen.Add(repository.FullName);
                        selected.Add(repository.FullName);
                    }
                    else
                    {
                        excluded.Add(new ExcludedRepository(repository.FullName, reason));
                    }
                }
            }
        }

        if (errors.Count == 0 && selected.Count == 0)
        {
            Add("selection", excluded.Count == 0
                ? "The selection matches no repository the service account can see; widen the filters or list repositories by name."
                : $"The selection matches no repository that can run: the {excluded.Count} it matched were left out ({excluded[0].Repository}: {excluded[0].Reason}).");
        }
        else if (selected.Count > CampaignLimits.MaxRepositories)
        {
            Add("selection", $"The selection holds {selected.Count:N0} repositories; a campaign takes at most {CampaignLimits.MaxRepositories:N0}. Narrow it.");
        }

        return new ResolvedSelection(selected, excluded, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    private static bool Matches(RepositoryListing repository, RepositorySelection selection, List<string> patterns, string? organization) =>
        (patterns.Count == 0 || patterns.Any(p => RepositoryName.MatchesPattern(repository.FullName, p)))
        && (organization is null || repository.FullName.StartsWith(organization + "/", StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(selection.Topic) || repository.Topics.Contains(selection.Topic.Trim(), StringComparer.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(selection.Language) || string.Equals(repository.Language, selection.Language.Trim(), StringComparison.OrdinalIgnoreCase));

    private static void CheckWord(string? value, string field, string what, Action<string, string> add)
    {
        if (value is not null && (value.Trim().Length is 0 or > 100 || value.Any(char.IsControl)))
        {
            add(field, $"\"{Shorten(value)}\" is not {what}; leave it out or give one of at most 100 characters.");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
