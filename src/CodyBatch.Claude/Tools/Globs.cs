using System.Text;
using System.Text.RegularExpressions;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// Glob patterns as the tools take them: <c>*</c> and <c>?</c> stay within a folder, <c>**</c>
/// crosses folders. A pattern without <c>/</c> matches a file's name anywhere; with one, the path
/// from the repository's root (a leading <c>/repo/</c> is allowed).
/// </summary>
internal sealed class Globs
{
    private readonly Regex _regex;
    private readonly bool _matchesPaths;

    private Globs(Regex regex, bool matchesPaths) => (_regex, _matchesPaths) = (regex, matchesPaths);

    /// <summary>The glob as given, without a leading <c>/repo/</c>.</summary>
    public required string Text { get; init; }

    public static Globs Parse(string glob)
    {
        var text = glob.Trim().Replace('\\', '/');
        if (text.StartsWith(RepositoryPaths.Root + "/", StringComparison.Ordinal))
        {
            text = text[(RepositoryPaths.Root.Length + 1)..];
        }
        else if (text.StartsWith('/') || text.Split('/').Contains(".."))
        {
            throw new ToolException($"The pattern {glob} is outside the repository; patterns are relative to /repo, such as src/**/*.cs.");
        }

        if (text.Length == 0)
        {
            throw new ToolException("The pattern is empty; give one such as **/*.cs or src/*.ts.");
        }

        var pattern = new StringBuilder("^");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
                if (i + 1 < text.Length && text[i + 1] == '/')
                {
                    i++;
                    pattern.Append("/?");
                }
            }
            else
            {
                pattern.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
            }
        }

        var regex = new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return new Globs(regex, text.Contains('/', StringComparison.Ordinal)) { Text = text };
    }

    /// <summary>True when <paramref name="relative"/> (a path from the root, '/'-separated) matches.</summary>
    public bool IsMatch(string relative) => _regex.IsMatch(_matchesPaths ? relative : relative[(relative.LastIndexOf('/') + 1)..]);
}
