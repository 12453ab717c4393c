using System.Formats.Tar;

namespace CodyBatch.Testing.GitHub;

/// <summary>
/// The tarball download: <c>GET /repos/{owner}/{repo}/tarball/{ref}</c> answers 302 to a download host
/// that needs no token, which serves a gzipped tar with GitHub's top folder, as codeload does.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private async Task CodeloadAsync(HttpContext context, FakeGitHubRequest request)
    {
        if (request.Authorization.Length > 0)
        {
            Problem("the token was sent to the download host");
        }

        var parts = request.Path.Split('/');
        if (!_repositories.TryGetValue($"{parts[2]}/{parts[3]}", out var repository))
        {
            await NotFoundAsync(context);
            return;
        }

        context.Response.ContentType = "application/x-gzip";
        if (repository.Tarball is { } custom)
        {
            await context.Response.Body.WriteAsync(custom);
            return;
        }

        var sha = parts[^1];
        var files = _commits.TryGetValue(sha, out var commit) ? _trees[commit.Tree] : repository.Files;
        await context.Response.Body.WriteAsync(Archive($"{repository.Owner}-{repository.Name}-{sha[..7]}", files));
    }

    /// <summary>A GitHub-style tarball of <paramref name="files"/> under <paramref name="top"/>/.</summary>
    public static byte[] Archive(string top, IReadOnlyDictionary<string, (string Mode, byte[] Content)> files)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "fake" }));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, top + "/"));
            foreach (var directory in files.Keys.SelectMany(Parents).Distinct().Order(StringComparer.Ordinal))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, $"{top}/{directory}/"));
            }

            foreach (var (path, (mode, content)) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (mode == "120000")
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"{top}/{path}") { LinkName = Encoding.UTF8.GetString(content) });
                    continue;
                }

                var entry = new PaxTarEntry(TarEntryType.RegularFile, $"{top}/{path}")
                {
                    DataStream = new MemoryStream(content),
                    Mode = mode == "100755"
                        ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                tar.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }
}
