using System.Text;
using System.Text.RegularExpressions;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Core.Publishing;

/// <summary>
/// The repository's pull request template, found where GitHub looks: a file named
/// <c>pull_request_template</c> (any case; <c>.md</c>, <c>.txt</c> or no extension) in
/// <c>.github/</c>, the root or <c>docs/</c>, in that order; failing that, the first template (by
/// name) in a <c>PULL_REQUEST_TEMPLATE/</c> folder in one of those places — GitHub picks among those
/// with a <c>template</c> query parameter, which a pull request opened through the API has not.
/// Templates are repository content: read through a confined walk, a link is not followed, a special
/// file is not opened, and a large one is ignored.
/// </summary>
public static partial class PullRequestTemplate
{
    /// <summary>Largest template used.</summary>
    public const int MaxBytes = 32 * 1024;

    private static readonly string[] Places = [".github", "", "docs"];

    /// <summary>The template's path (relative) and text, or null when the repository has none.</summary>
    public static (string Path, string Text)? Find(string repositoryPath)
    {
        // Read through the confined walk with links refused: a link is never followed, a FIFO or device never opened.
        var tree = new ConfinedDirectory(repositoryPath, LinkPolicy.Refuse);
        foreach (var place in Places)
        {
            if (Folder(tree, "", place) is not { } folder)
            {
                continue;
            }

            var file = Entries(tree, folder)
                .Where(e => e.Kind == ConfinedEntryKind.File && IsTemplateName(e.Name))
                .Select(e => Read(tree, Join(folder, e.Name)))
                .FirstOrDefault(t => t is not null);
            if (file is not null)
            {
                return file;
            }
        }

        foreach (var place in Places)
        {
            if (Folder(tree, "", place) is not { } folder || Folder(tree, folder, "PULL_REQUEST_TEMPLATE") is not { } templates)
            {
                continue;
            }

            var file = Entries(tree, templates)
                .Where(e => e.Kind == ConfinedEntryKind.File && Path.GetExtension(e.Name).ToUpperInvariant() is ".MD" or ".TXT")
                .Select(e => Read(tree, Join(templates, e.Name)))
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

    private static string Join(string folder, string name) => folder.Length == 0 ? name : $"{folder}/{name}";

    // The entries of a folder, sorted by name; none when the walk refuses it.
    private static IReadOnlyList<ConfinedEntry> Entries(ConfinedDirectory tree, string folder)
    {
        try
        {
            return tree.List(folder);
        }
        catch (ConfinedPathException)
        {
            return [];
        }
    }

    // A real folder (not a link) named like name, in any case; the root for an empty name.
    private static string? Folder(ConfinedDirectory tree, string parent, string name) =>
        name.Length == 0
            ? parent
            : Entries(tree, parent).FirstOrDefault(e => e.Kind == ConfinedEntryKind.Directory && e.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } match
                ? Join(parent, match.Name)
                : null;

    private static (string Path, string Text)? Read(ConfinedDirectory tree, string file)
    {
        try
        {
            var text = tree.ReadFile(file, MaxBytes) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
            return text is null || text.Trim().Length == 0 ? null : (file, text);
        }
        catch (ConfinedPathException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s*.*\b(description|summary|what|changes|overview|about|details|motivation|context|purpose)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DescriptionHeadingRegex();

    [GeneratedRegex(@"^(?:\s*<!--.*?-->)*\s*", RegexOptions.Singleline)]
    private static partial Regex LeadingCommentRegex();
}
