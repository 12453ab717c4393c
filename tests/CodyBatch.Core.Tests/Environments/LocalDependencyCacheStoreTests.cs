using CodyBatch.Core.Environments;

namespace CodyBatch.Core.Tests.Environments;

/// <summary>The dependency caches on one machine: kept per repository and lock file, copied in and out, expired by age.</summary>
public sealed class LocalDependencyCacheStoreTests : IDisposable
{
    private static readonly DependencyCacheKey Key = new("octo/app", "npm", new string('a', 64));
    private readonly TempDirectory _folder = new("codybatch-local-cache");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CacheOptions _options = new() { Expiry = TimeSpan.FromDays(14), MaxMb = 1 };

    public void Dispose() => _folder.Dispose();

    private LocalDependencyCacheStore Store() => new(
        Options.Create(new CodyBatchOptions { DataDirectory = _folder.Combine("data") }), Options.Create(_options), _time, NullLogger<LocalDependencyCacheStore>.Instance);

    private string Setup(string run)
    {
        var cache = _folder.Combine(run, "home", ".npm");
        Directory.CreateDirectory(Path.Combine(cache, "_cacache"));
        File.WriteAllText(Path.Combine(cache, "_cacache", "demo.tgz"), "demo 1.0.0");
        return cache;
    }

    [Fact]
    public async Task A_saved_cache_is_restored_for_the_same_repository_and_lock_file_only()
    {
        var store = Store();
        Assert.False(await store.RestoreAsync(Key, _folder.Combine("run-0", ".npm"), CancellationToken.None));

        await store.SaveAsync(Key, Setup("run-1"), CancellationToken.None);
        var next = _folder.Combine("run-2", ".npm");

        Assert.True(await store.RestoreAsync(Key, next, CancellationToken.None));
        Assert.Equal("demo 1.0.0", File.ReadAllText(Path.Combine(next, "_cacache", "demo.tgz")));
        Assert.False(await store.RestoreAsync(Key with { Scope = "evil/planter" }, _folder.Combine("evil", ".npm"), CancellationToken.None));
        Assert.False(await store.RestoreAsync(Key with { LockFileHash = new string('b', 64) }, _folder.Combine("new-lock", ".npm"), CancellationToken.None));
        Assert.StartsWith(_folder.Combine("data", "caches"), store.FolderOf(Key), StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_a_run_does_to_its_restored_copy_never_reaches_the_stored_cache()
    {
        var store = Store();
        await store.SaveAsync(Key, Setup("run-1"), CancellationToken.None);
        var copy = _folder.Combine("run-2", ".npm");
        await store.RestoreAsync(Key, copy, CancellationToken.None);

        File.WriteAllText(Path.Combine(copy, "_cacache", "demo.tgz"), "planted");
        File.WriteAllText(Path.Combine(copy, "_cacache", "extra.js"), "planted");

        var third = _folder.Combine("run-3", ".npm");
        Assert.True(await store.RestoreAsync(Key, third, CancellationToken.None));
        Assert.Equal("demo 1.0.0", File.ReadAllText(Path.Combine(third, "_cacache", "demo.tgz")));
        Assert.False(File.Exists(Path.Combine(third, "_cacache", "extra.js")));
    }

    [Fact]
    public async Task A_cache_past_its_expiry_is_not_restored_and_saving_again_starts_its_age_anew()
    {
        var store = Store();
        await store.SaveAsync(Key, Setup("run-1"), CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(14));
        Assert.True(await store.RestoreAsync(Key, _folder.Combine("day-14", ".npm"), CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await store.RestoreAsync(Key, _folder.Combine("late", ".npm"), CancellationToken.None));

        await store.SaveAsync(Key, Setup("run-2"), CancellationToken.None);
        Assert.True(await store.RestoreAsync(Key, _folder.Combine("after-save", ".npm"), CancellationToken.None));
    }

    [Fact]
    public async Task Links_fifos_and_caches_past_the_size_cap_are_not_kept()
    {
        var cache = Setup("run-1");
        File.CreateSymbolicLink(Path.Combine(cache, "passwd"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(cache, "etc"), "/etc");
        await Fifo.MakeAsync(Path.Combine(cache, "pipe"));
        var store = Store();

        await store.SaveAsync(Key, cache, CancellationToken.None);
        var restored = _folder.Combine("run-2", ".npm");
        Assert.True(await store.RestoreAsync(Key, restored, CancellationToken.None));
        Assert.False(Path.Exists(Path.Combine(restored, "passwd")));
        Assert.False(Path.Exists(Path.Combine(restored, "etc")));
        Assert.False(Path.Exists(Path.Combine(restored, "pipe")));

        File.WriteAllBytes(Path.Combine(cache, "big.bin"), new byte[2 * 1024 * 1024]);
        var other = Key with { LockFileHash = new string('c', 64) };
        await store.SaveAsync(other, cache, CancellationToken.None);
        Assert.False(await store.RestoreAsync(other, _folder.Combine("run-3", ".npm"), CancellationToken.None));
    }

    [Fact]
    public async Task As_root_the_write_once_content_is_shared_read_only_with_the_store_and_everything_else_is_copied()
    {
        var cache = Setup("run-1");
        var content = Path.Combine(cache, "_cacache", "content-v2", "sha512", "ab", "cd");
        Directory.CreateDirectory(content);
        File.WriteAllText(Path.Combine(content, "blob"), "package");
        var store = Store();
        await store.SaveAsync(Key, cache, CancellationToken.None);

        var restored = _folder.Combine("run-2", ".npm");
        Assert.True(await store.RestoreAsync(Key, restored, CancellationToken.None));

        var blob = Path.Combine(restored, "_cacache", "content-v2", "sha512", "ab", "cd", "blob");
        Assert.Equal("package", File.ReadAllText(blob));
        Assert.Equal(1, Links(Path.Combine(restored, "_cacache", "demo.tgz")));
        Assert.Equal(Environment.IsPrivilegedProcess ? 2 : 1, Links(blob));
        Assert.False(File.GetUnixFileMode(blob).HasFlag(UnixFileMode.OtherWrite) || File.GetUnixFileMode(blob).HasFlag(UnixFileMode.GroupWrite));

        // Replacing the run's name for it (what a package manager may do) leaves the stored copy as it was.
        File.Delete(blob);
        File.WriteAllText(blob, "planted");
        var third = _folder.Combine("run-3", ".npm");
        Assert.True(await store.RestoreAsync(Key, third, CancellationToken.None));
        Assert.Equal("package", File.ReadAllText(Path.Combine(third, "_cacache", "content-v2", "sha512", "ab", "cd", "blob")));
    }

    // The file's number of names, as stat(1) reads it.
    private static long Links(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%h", path]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return long.Parse(output, System.Globalization.CultureInfo.InvariantCulture);
    }
}
