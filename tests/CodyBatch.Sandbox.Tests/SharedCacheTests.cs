using CodyBatch.Core.Checks;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Environments;
using CodyBatch.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodyBatch.Sandbox.Tests;

/// <summary>
/// A dependency cache restored by sharing its write-once files with the store (hard links, as root): sandboxed code that
/// attacks them the way a hostile repository's setup would cannot change the stored copy, and the run can still write
/// its cache.
/// </summary>
public sealed class SharedCacheTests : IDisposable
{
    private const string Blob = ".npm/_cacache/content-v2/sha512/ab/cd/blob";
    private static readonly DependencyCacheKey Key = new("octo/app", "npm", new string('a', 64));
    private readonly TempDirectory _root = new("codybatch-shared-cache");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Sandboxed_code_cannot_change_a_restored_cache_file_the_store_shares_but_can_replace_it_and_write_beside_it()
    {
        var store = new LocalDependencyCacheStore(
            Options.Create(new CodyBatchOptions { DataDirectory = _root.Combine("data") }), Options.Create(new CacheOptions()), TimeProvider.System,
            NullLogger<LocalDependencyCacheStore>.Instance);
        var cold = _root.Combine("cold");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(cold, Blob))!);
        await File.WriteAllTextAsync(Path.Combine(cold, Blob), "module.exports = 'stored';\n");
        Directory.CreateDirectory(Path.Combine(cold, ".npm", "_cacache", "index-v5"));
        await File.WriteAllTextAsync(Path.Combine(cold, ".npm", "_cacache", "index-v5", "bucket"), "entry\n");
        await store.SaveAsync(Key, Path.Combine(cold, ".npm"), CancellationToken.None);
        var home = _root.Combine("run", "home");
        var tree = _root.Combine("run", "checks");
        Directory.CreateDirectory(tree);
        Assert.True(await store.RestoreAsync(Key, Path.Combine(home, ".npm"), CancellationToken.None));

        var runner = Sandbox.Runner();
        Assert.Null(await runner.UnavailableReasonAsync(CancellationToken.None));
        var script = $"""
            f=/tmp/{Blob}
            echo planted > "$f" && echo wrote; chmod 666 "$f" && echo chmodded; truncate -s 0 "$f" && echo truncated
            echo more >> /tmp/.npm/_cacache/index-v5/bucket && echo appended
            mkdir -p /tmp/.npm/_logs && echo log > /tmp/.npm/_logs/debug.log && echo logged
            rm -f "$f" && echo replaced > "$f" && cat "$f"
            """;
        var result = await runner.RunAsync(new CheckSession(tree, [], [new CheckDefinition("attack", script)]) { HomePath = home }, CancellationToken.None);

        var output = Assert.Single(result.Checks).Output;
        Assert.Contains("appended", output, StringComparison.Ordinal);
        Assert.Contains("logged", output, StringComparison.Ordinal);
        Assert.Contains("replaced", output, StringComparison.Ordinal);
        if (Environment.IsPrivilegedProcess)
        {
            // Shared, so the sandbox's user (never root) may read it but neither write, truncate nor chmod it.
            Assert.DoesNotContain("wrote", output, StringComparison.Ordinal);
            Assert.DoesNotContain("chmodded", output, StringComparison.Ordinal);
            Assert.DoesNotContain("truncated", output, StringComparison.Ordinal);
        }

        var next = _root.Combine("next");
        Assert.True(await store.RestoreAsync(Key, Path.Combine(next, ".npm"), CancellationToken.None));
        Assert.Equal("module.exports = 'stored';\n", await File.ReadAllTextAsync(Path.Combine(next, Blob)));
        Assert.Equal("entry\n", await File.ReadAllTextAsync(Path.Combine(next, ".npm", "_cacache", "index-v5", "bucket")));
    }
}
