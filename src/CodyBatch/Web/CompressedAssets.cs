using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CodyBatch.Web;

/// <summary>
/// Serves the UI's hashed files under <c>/assets</c> compressed at the smallest size (Brotli, else
/// gzip), each compressed once and kept: a name under /assets never changes content, so the work
/// is done once per file instead of at a fast, larger setting on every request.
/// </summary>
internal sealed class CompressedAssets(IFileProvider files)
{
    private static readonly string[] Compressible = [".js", ".css", ".svg", ".json", ".html", ".map"];
    private readonly ConcurrentDictionary<(string Path, string Encoding), Lazy<byte[]>> _cache = new();
    private readonly FileExtensionContentTypeProvider _types = new();

    public async Task<bool> TryServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            || !path.StartsWith("/assets/", StringComparison.Ordinal)
            || !Compressible.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase)
            || Encoding(context.Request) is not { } encoding
            || files.GetFileInfo(path) is not { Exists: true, IsDirectory: false } file
            || !_types.TryGetContentType(path, out var type))
        {
            return false;
        }

        var body = _cache.GetOrAdd((path, encoding), key => new Lazy<byte[]>(() => Compress(file, key.Encoding))).Value;
        var response = context.Response;
        response.ContentType = type;
        response.Headers.ContentEncoding = encoding;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.CacheControl = "public, max-age=31536000, immutable";
        response.ContentLength = body.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }

        return true;
    }

    private static string? Encoding(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding
            .Where(e => e.Quality is null or > 0)
            .Select(e => e.Value.Value)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return accepted.Contains("br") ? "br" : accepted.Contains("gzip") ? "gzip" : null;
    }

    private static byte[] Compress(IFileInfo file, string encoding)
    {
        using var input = file.CreateReadStream();
        using var output = new MemoryStream();
        using (Stream compressor = encoding == "br"
            ? new BrotliStream(output, CompressionLevel.SmallestSize, leaveOpen: true)
            : new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            input.CopyTo(compressor);
        }

        return output.ToArray();
    }
}
