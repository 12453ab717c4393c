using System.Text.RegularExpressions;
using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Prompts;

/// <summary>Messages per request field, and the checks that saved prompts and schedules share.</summary>
internal sealed class FieldErrors
{
    /// <summary>Most check commands on a saved prompt or schedule.</summary>
    public const int MaxChecks = 10;

    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>A trimmed text of 1 to <paramref name="max"/> characters, or null with a message.</summary>
    public string? Required(string field, string? value, int max, string missing)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            Add(field, missing);
            return null;
        }

        if (text.Length > max)
        {
            Add(field, $"The {field} has {text.Length:N0} characters; shorten it to at most {max:N0}.");
            return null;
        }

        return text;
    }

    public JobMode Mode(string? mode)
    {
        switch (mode?.Trim())
        {
            case null or "" or "pullRequest":
                return JobMode.PullRequest;
            case "patch":
                return JobMode.Patch;
            default:
                Add("mode", $"The mode '{mode}' is unknown; use 'pullRequest' or 'patch'.");
                return JobMode.PullRequest;
        }
    }

    public string? Model(string? model)
    {
        var text = model?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!Regex.IsMatch(text, JobRequestValidator.ModelPattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            Add("model", "The model name may hold letters, digits and . _ : @ / - (up to 100 characters), like 'claude-sonnet-4-5'.");
        }

        return text;
    }

    public IReadOnlyList<string> Checks(IReadOnlyList<string?>? checks)
    {
        var list = new List<string>();
        if (checks is null)
        {
            return list;
        }

        if (checks.Count > MaxChecks)
        {
            Add("checks", $"Give at most {MaxChecks} checks; {checks.Count} were given.");
            return list;
        }

        for (var i = 0; i < checks.Count; i++)
        {
            var check = checks[i]?.Trim();
            if (string.IsNullOrEmpty(check) || check.Length > 500 || check.Contains('\n', StringComparison.Ordinal))
            {
                Add($"checks[{i}]", "A check is one command line of 1 to 500 characters, like 'npm test'.");
            }
            else
            {
                list.Add(check);
            }
        }

        return list;
    }
}
