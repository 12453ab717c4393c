using System.Text;
using System.Text.RegularExpressions;

namespace CodyBatch.Core.Publishing;

/// <summary>
/// The repository's pull request template, found where GitHub looks: a file named
/// <c>pull_request_template</c> (any case; <c>.md</c>, <c>.txt</c> or no extension) in
/// <c>.github/</c>, the root or <c>docs/</c>, in that order; failing that, the first template (by
/// name) in a <c>PULL_REQUEST_TEMPLATE/</c> folder in one of those places — GitHub picks among those
/// with a <c>template</c> query parameter, which a pull request opened through the API has not.
/// Templates are repository content: a link is not followed, and a large one is ignored.
/// </summary>
public static partial class PullRequestTemplate
{
    /// <summary>Largest template used.</summary>
    public const int MaxBytes = 32 * 1024;

    private static readonly string[] Places = [".github", "", "docs"];

    /// <summary>The template's path (relative) and text, or null when the repository has none.</summary>
    public static (string Path, string Text)? Find(string repositoryPath)
    {
        foreach (var place in Places)
        {
            if (Child(repositoryPath, place, directory: true) is not { } folder)
            {
                continue;
            }

            var file = Directory.EnumerateFiles(folder)
                .Where(f => IsTemplateName(Path.GetFileName(f)))
                .Order(StringComparer.Ordinal)
                .Select(f => Read(repositoryPath, f))
                .FirstOrDefault(t => t is not null);
            if (file is not null)
            {
                return file;
            }
        }

        foreach (var place in Places)
        {
            if (Child(repositoryPath, place, directory: true) is not { } folder
                || Directory.EnumerateDirectories(folder).FirstOrDefault(d => Path.GetFileName(d).Equals("PULL_REQUEST_TEMPLATE", StringComparison.OrdinalIgnoreCase)) is not { } templates
                || new DirectoryInfo(templates).LinkTarget is not null)
            {
                continue;
            }

            var file = Directory.EnumerateFiles(templates)
                .Where(f => Path.GetExtension(f).ToUpperInvariant() is ".MD" or ".TXT")
                .Order(StringComparer.Ordinal)
                .Select(f => Read(repositoryPath, f))
                .FirstOrDefault(t => t is not null);
            if (file is not null)
            {
                return file;
            }
        }

        return null;
    }

    /// <summary>
    /// The body with the template: the agent's text goes under the template's first heading that asks
    /// for a description or summary (its placeholder comments removed); a template with no such
    /// heading comes first, and the agent's text follows it.
    /// </summary>
    public static string Fill(string template, string body)
    {
        var lines = template.ReplaceLineEndings("\n").Split('\n').ToList();
        var heading = lines.FindIndex(l => DescriptionHeadingRegex().IsMatch(l));
        if (heading < 0)
        {
            return template.TrimEnd() + "\n\n" + body.Trim();
        }

        // Placeholder comments and blank lines right under the heading make room for the text.
        var end = heading + 1;
        var afterHeading = string.Join("\n", lines.Skip(end));
        var placeholder = LeadingCommentRegex().Match(afterHeading);
        var rest = placeholder.Success ? afterHeading[placeholder.Length..] : afterHeading;
        var text = new StringBuilder();
        text.Append(string.Join("\n", lines.Take(end)).TrimEnd()).Append("\n\n").Append(body.Trim()).Append('\n');
        if (rest.Trim().Length > 0)
        {
            text.Append('\n').Append(rest.TrimStart('\n').TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    private static bool IsTemplateName(string name)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name).ToUpperInvariant();
        return stem.Equals("pull_request_template", StringComparison.OrdinalIgnoreCase) && extension is "" or ".MD" or ".TXT";
    }

    private static string? Child(string root, string name, bool directory)
    {
        if (name.Length == 0)
        {
            return root;
        }

        var match = Directory.EnumerateFileSystemEntries(root).FirstOrDefault(e => Path.GetFileName(e).Equals(name, StringComparison.OrdinalIgnoreCase));
        if (match is null || (directory && !Directory.Exists(match)))
        {
            return null;
        }

        return new DirectoryInfo(match).LinkTarget is null ? match : null;
    }

    private static (string Path, string Text)? Read(string root, string file)
    {
        var info = new FileInfo(file);
        if (info.LinkTarget is not null || !info.Exists || info.Length > MaxBytes)
        {
            return null;
        }

        var text = File.ReadAllText(file);
        return text.Trim().Length == 0 ? null : (Path.GetRelativePath(root, file).Replace('\\', '/'), text);
    }

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s*.*\b(description|summary|what|changes|overview|about|details|motivation|context|purpose)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DescriptionHeadingRegex();

    [GeneratedRegex(@"^(?:\s*<!--.*?-->)*\s*", RegexOptions.Singleline)]
    private static partial Regex LeadingCommentRegex();
}
