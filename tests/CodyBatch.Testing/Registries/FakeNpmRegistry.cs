using System.Formats.Tar;

namespace CodyBatch.Testing.Registries;

/// <summary>
/// A small npm registry as npm's public registry API describes it: <c>GET /{name}</c> answers the packument (every
/// version with its <c>dist.tarball</c> and <c>dist.integrity</c>, <c>dist-tags.latest</c>), <c>GET
/// /{name}/-/{name}-{version}.tgz</c> the tarball (a gzip'd tar with <c>package/package.json</c>). Tarball URLs are
/// built from the Host the request came with, as a registry behind a name does. With <see cref="RequiredToken"/> every
/// request without <c>Authorization: Bearer {token}</c> gets 401, as a private registry answers. <c>PUT /{name}</c> with a
/// packument and its <c>_attachments</c> publishes (what <c>npm publish</c> sends).
/// </summary>
public sealed class FakeNpmRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SortedDictionary<string, byte[]>> _packages = new();
    private readonly ConcurrentDictionary<string, byte> _failing = new(StringComparer.Ordinal);
    private WebApplication _app = null!;

    private FakeNpmRegistry()
    {
    }

    /// <summary>The registry's own address (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The credential every request must carry; null for a public registry.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>A delay before every answer, as a registry across a network has (for benchmarks; zero in tests).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Every request: its path, whether it carried the required credential, and its method.</summary>
    public ConcurrentQueue<(string Path, bool Authorized, string Method)> Requests { get; } = new();

    /// <summary>The versions a publish (<c>PUT /{name}</c>) added, as <c>name@version</c>.</summary>
    public ConcurrentQueue<string> Published { get; } = new();

    /// <summary>Starts one on a free loopback port.</summary>
    public static async Task<FakeNpmRegistry> StartAsync(string? requiredToken = null)
    {
        var registry = new FakeNpmRegistry { RequiredToken = requiredToken };
        (registry._app, registry.BaseUrl) = await LocalServer.StartAsync(app => app.Run(registry.ServeAsync));
        return registry;
    }

    /// <summary>
    /// Publishes <paramref name="name"/>@<paramref name="version"/> whose <c>index.js</c> exports <paramref name="version"/>,
    /// with <paramref name="moreFiles"/> further modules of about a kilobyte each under <c>lib/</c> (a package's size).
    /// </summary>
    public FakeNpmRegistry Publish(string name, string version, int moreFiles = 0)
    {
        var manifest = new JsonObject { ["name"] = name, ["version"] = version, ["main"] = "index.js" }.ToJsonString();
        var files = new Dictionary<string, string>
        {
            ["package/package.json"] = manifest,
            ["package/index.js"] = $"module.exports = {{ version: '{version}' }};\n",
        };
        for (var i = 0; i < moreFiles; i++)
        {
            files[$"package/lib/module{i}.js"] = $"// {name} {version} module {i}\n" + string.Concat(Enumerable.Repeat($"exports.f{i} = (x) => x + {i};\n", 40));
        }

        var tarball = Tarball(files);
        _packages.GetOrAdd(name, _ => new SortedDictionary<string, byte[]>(StringComparer.Ordinal))[version] = tarball;
        return this;
    }

    /// <summary>
    /// Makes the next request for <paramref name="path"/> (say <c>/demo-pad/-/demo-pad-2.0.0.tgz</c>) answer 503 Service
    /// Unavailable with a <c>Retry-After</c>, as a registry does while it is overloaded; later requests are served.
    /// </summary>
    public void FailOnce(string path) => _failing.TryAdd(path, 0);

    /// <summary>
    /// A lockfileVersion 3 <c>package-lock.json</c> of the app <c>app</c> 1.0.0 depending on <paramref name="name"/>
    /// <c>^{major}.0.0</c>, locked at <paramref name="version"/> as published here and resolved at <paramref name="origin"/>.
    /// </summary>
    public string LockFile(string name, string version, string origin)
    {
        var range = $"^{version.Split('.')[0]}.0.0";
        return new JsonObject
        {
            ["name"] = "app",
            ["version"] = "1.0.0",
            ["lockfileVersion"] = 3,
            ["requires"] = true,
            ["packages"] = new JsonObject
            {
                [""] = new JsonObject { ["name"] = "app", ["version"] = "1.0.0", ["dependencies"] = new JsonObject { [name] = range } },
                [$"node_modules/{name}"] = new JsonObject
                {
                    ["version"] = version,
                    ["resolved"] = $"{origin}/{name}/-/{name}-{version}.tgz",
                    ["integrity"] = Integrity(name, version),
                },
            },
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The <c>integrity</c> of a published tarball (for a lock file written by hand).</summary>
    public string Integrity(string name, string version) => "sha512-" + Convert.ToBase64String(SHA512.HashData(_packages[name][version]));

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Path.Value ?? "/");
        var authorized = RequiredToken is null || context.Request.Headers.Authorization.ToString() == $"Bearer {RequiredToken}";
        Requests.Enqueue((path, authorized, context.Request.Method));
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted);
        }

        if (!authorized)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"fake-npm\"";
            await context.Response.WriteAsJsonAsync(new { error = "authentication required" });
            return;
        }

        if (_failing.TryRemove(path, out _))
        {
            context.Response.StatusCode = 503;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsJsonAsync(new { error = "Service Unavailable" });
            return;
        }

        var parts = path.Trim('/').Split('/');
        if (parts.Length == 1 && HttpMethods.IsPut(context.Request.Method))
        {
            await PublishAsync(context, parts[0]);
            return;
        }

        if (parts.Length == 1 && _packages.TryGetValue(parts[0], out var versions) && HttpMethods.IsGet(context.Request.Method))
        {
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            var all = new JsonObject();
            foreach (var (version, tarball) in versions)
            {
                all[version] = new JsonObject
                {
                    ["name"] = parts[0],
                    ["version"] = version,
                    ["main"] = "index.js",
                    ["dist"] = new JsonObject
                    {
                        ["tarball"] = $"{origin}/{parts[0]}/-/{parts[0]}-{version}.tgz",
                        ["integrity"] = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball)),
                        ["shasum"] = Convert.ToHexStringLower(SHA1.HashData(tarball)),
                    },
                };
            }

            var document = new JsonObject { ["name"] = parts[0], ["dist-tags"] = new JsonObject { ["latest"] = versions.Keys.Last() }, ["versions"] = all };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(document.ToJsonString());
            return;
        }

        if (parts.Length == 3 && parts[1] == "-" && _packages.TryGetValue(parts[0], out versions)
            && versions.FirstOrDefault(v => parts[2] == $"{parts[0]}-{v.Key}.tgz") is { Value: { } bytes })
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(bytes);
            return;
        }

        context.Response.StatusCode = 404;
        await context.Response.WriteAsJsonAsync(new { error = "Not found" });
    }

    // npm publish: PUT /{name} with the packument of the new version(s) and each tarball base64 in `_attachments`.
    private async Task PublishAsync(HttpContext context, string name)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        if (body?["versions"] is not JsonObject versions || body["_attachments"] is not JsonObject attachments || versions.Count == 0)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = "a publish needs versions and _attachments" });
            return;
        }

        foreach (var (version, _) in versions)
        {
            if (attachments[$"{name}-{version}.tgz"]?["data"]?.GetValue<string>() is not { } data)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new { error = $"no attachment for {name}@{version}" });
                return;
            }

            _packages.GetOrAdd(name, _ => new SortedDictionary<string, byte[]>(StringComparer.Ordinal))[version] = Convert.FromBase64String(data);
            Published.Enqueue($"{name}@{version}");
        }

        context.Response.StatusCode = 201;
        await context.Response.WriteAsJsonAsync(new { ok = true });
    }

    private static byte[] Tarball(IReadOnlyDictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                });
            }
        }

        return buffer.ToArray();
    }
}
