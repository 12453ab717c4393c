using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CodyBatch.Core.Repositories;

/// <summary>GitHub's rules for <c>owner/name</c>.</summary>
public static partial class RepositoryName
{
    /// <summary>
    /// Parses <c>owner/name</c>: an owner of 1–39 letters, digits or inner hyphens, and a name of
    /// 1–100 letters, digits, '.', '-' or '_' that is not '.' or '..'.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out string? repository, out string problem)
    {
        repository = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = "The repository is empty; write it as owner/name.";
            return false;
        }

        var parts = text.Split('/');
        if (parts.Length != 2)
        {
            problem = $"\"{Shorten(text)}\" is not owner/name (exactly one '/', as in octocat/hello-world).";
            return false;
        }

        if (!OwnerRegex().IsMatch(parts[0]))
        {
            problem = $"\"{Shorten(parts[0])}\" is not a valid owner: use 1–39 letters, digits or hyphens, not starting or ending with a hyphen.";
            return false;
        }

        if (!NameRegex().IsMatch(parts[1]) || parts[1] is "." or "..")
        {
            problem = $"\"{Shorten(parts[1])}\" is not a valid repository name: use 1–100 letters, digits, '.', '-' or '_'.";
            return false;
        }

        repository = text;
        problem = "";
        return true;
    }

    /// <summary>True when <paramref name="repository"/> matches <paramref name="pattern"/>, where '*' stands for any characters except '/' (case-insensitive).</summary>
    public static bool MatchesPattern(string repository, string pattern)
    {
        var regex = "^" + Regex.Escape(pattern.Trim()).Replace("\\*", "[^/]*", StringComparison.Ordinal) + "\\z";
        return Regex.IsMatch(repository, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    // \z, not $: '$' also matches before a final newline, and "acme\n" is no owner.
    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\\z")]
    private static partial Regex OwnerRegex();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}\\z")]
    private static partial Regex NameRegex();
}
