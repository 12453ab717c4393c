using System.Net.Http.Headers;

namespace CodyBatch.GitHub.Api;

/// <summary>GitHub's pagination: the <c>Link</c> header's <c>rel="next"</c> address, the way GitHub's REST documentation says to follow pages.</summary>
public static class LinkHeader
{
    /// <summary>The next page's address, or null on the last page.</summary>
    public static Uri? Next(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length > 1 && parts[0].StartsWith('<') && parts[0].EndsWith('>')
                && parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next")
                && Uri.TryCreate(parts[0][1..^1], UriKind.Absolute, out var next))
            {
                return next;
            }
        }

        return null;
    }
}
