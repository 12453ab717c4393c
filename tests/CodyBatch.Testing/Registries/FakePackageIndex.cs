namespace CodyBatch.Testing.Registries;

/// <summary>
/// A PEP 503 simple repository: <c>GET /simple/{normalized name}/</c> answers an HTML page with one anchor per file
/// (its URL with a <c>#sha256=</c> fragment), <c>GET /packages/{file}</c> the wheel. Wheels are made here (PEP 427: the
/// module, and a <c>.dist-info</c> with METADATA, WHEEL and RECORD). With <see cref="RequiredUser"/> and
/// <see cref="RequiredToken"/> every request needs HTTP Basic with them (401 otherwise), as a private index asks.
/// </summary>
public sealed class FakePackageIndex : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _projects = new();
    private WebApplication _app = null!;

    private FakePackageIndex()
    {
    }

    /// <summary>The index's own address (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The Basic user name a private index asks for.</summary>
    public string? RequiredUser { get; init; }

    /// <summary>The Basic password (the token) a private index asks for; null for a public index.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>Every request: its path and whether it carried the required credential.</summary>
    public ConcurrentQueue<(string Path, bool Authorized)> Requests { get; } = new();

    /// <summary>Starts one on a free loopback port.</summary>
    public static async Task<FakePackageIndex> StartAsync(string? user = null, string? token = null)
    {
        var index = new FakePackageIndex { RequiredUser = user, RequiredToken = token };
        (index._app, index.BaseUrl) = await LocalServer.StartAsync(app => app.Run(index.ServeAsync));
        return index;
    }

    /// <summary>Publishes a pure-Python wheel of <paramref name="name"/> whose module has <c>VERSION = "{version}"</c>.</summary>
    public FakePackageIndex Publish(string name, string version)
    {
        var module = name.Replace('-', '_');
        var file = $"{module}-{version}-py3-none-any.whl";
        var files = new Dictionary<string, string>
        {
            [$"{module}/__init__.py"] = $"VERSION = \"{version}\"\n",
            [$"{module}-{version}.dist-info/METADATA"] = $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
            [$"{module}-{version}.dist-info/WHEEL"] = "Wheel-Version: 1.0\nGenerator: codybatch-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        };
        var record = new StringBuilder();
        foreach (var (path, text) in files)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            record.Append(path).Append(",sha256=").Append(Convert.ToBase64String(SHA256.HashData(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_')).Append(',').Append(bytes.Length).Append('\n');
        }

        record.Append($"{module}-{version}.dist-info/RECORD,,\n");
        files[$"{module}-{version}.dist-info/RECORD"] = record.ToString();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in files)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        _projects.GetOrAdd(Normalize(name), _ => new ConcurrentDictionary<string, byte[]>())[file] = buffer.ToArray();
        return this;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    // PEP 503: runs of '-', '_' and '.' become one '-', lower case.
    private static string Normalize(string name) => System.Text.RegularExpressions.Regex.Replace(name, "[-_.]+", "-").ToLowerInvariant();

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var expected = RequiredToken is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RequiredUser}:{RequiredToken}"));
        var authorized = expected is null || context.Request.Headers.Authorization.ToString() == expected;
        Requests.Enqueue((path, authorized));
        if (!authorized)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"fake-index\"";
            return;
        }

        var parts = path.Trim('/').Split('/');
        if (parts is ["simple", var project] && _projects.TryGetValue(Normalize(project), out var files))
        {
            // Absolute file URLs, as PyPI gives them (there on another host); built from the Host the request came with.
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            var links = string.Concat(files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f =>
                $"<a href=\"{origin}/packages/{f.Key}#sha256={Convert.ToHexStringLower(SHA256.HashData(f.Value))}\">{f.Key}</a><br/>\n"));
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync($"<!DOCTYPE html>\n<html><body>\n{links}</body></html>\n");
            return;
        }

        if (parts is ["packages", var wheel] && _projects.Values.SelectMany(p => p).FirstOrDefault(f => f.Key == wheel) is { Value: { } bytes })
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(bytes);
            return;
        }

        context.Response.StatusCode = 404;
    }
}
