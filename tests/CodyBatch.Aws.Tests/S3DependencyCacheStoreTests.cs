using System.Formats.Tar;
using System.IO.Compression;
using Amazon.S3.Model;
using CodyBatch.Aws.Caches;
using CodyBatch.Core.Environments;

namespace CodyBatch.Aws.Tests;

/// <summary>The dependency cache round trip against s3rver: saved after setup, restored before the next run's setup, expired by age.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class S3DependencyCacheStoreTests(Emulators emulators) : IAsyncLifetime, IDisposable
{
    private static readonly DependencyCacheKey Key = new("acme/web", "npm", new string('a', 64));

    private readonly TempDirectory _folder = new("codybatch-s3-cache");

    // s3rver stamps Last-Modified with the real clock; the store's clock starts there and is moved by hand.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly string _bucket = $"codybatch-{Guid.NewGuid():N}"[..40];
    private readonly DependencyCacheOptions _options = new() { Expiry = TimeSpan.FromDays(14), MaxArchiveMb = 1 };

    public async Task InitializeAsync()
    {
        _options.BucketName = _bucket;
        await emulators.S3.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    private S3DependencyCacheStore Store() => new(emulators.S3, Options.Create(_options), _time, NullLogger<S3DependencyCacheStore>.Instance);

    // What a run's setup leaves in the package manager's cache folder.
    private string Setup(string run)
    {
        var cache = _folder.Combine(run, "npm-cache");
        Directory.CreateDirectory(Path.Combine(cache, "_cacache", "content-v2"));
        File.WriteAllText(Path.Combine(cache, "_cacache", "content-v2", "left-pad.tgz"), "left-pad 1.3.0");
        File.WriteAllText(Path.Combine(cache, "_cacache", "index"), "left-pad");
        var tool = Path.Combine(cache, "bin-tool");
        File.WriteAllText(tool, "#!/bin/sh\necho tool\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return cache;
    }

    private async Task<List<string>> ObjectKeysAsync() =>
        [.. ((await emulators.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket })).S3Objects ?? []).Select(o => o.Key)];

    [Fact]
    public async Task A_cache_saved_after_setup_is_restored_before_the_next_runs_setup()
    {
        var store = Store();
        var first = _folder.Combine("run-1", "restored");
        Assert.False(await store.RestoreAsync(Key, first, CancellationToken.None));

        await store.SaveAsync(Key, Setup("run-1"), CancellationToken.None);
        var next = _folder.Combine("run-2", "npm-cache");
        var restored = await store.RestoreAsync(Key, next, CancellationToken.None);

        Assert.True(restored);
        Assert.Equal("left-pad 1.3.0", File.ReadAllText(Path.Combine(next, "_cacache", "content-v2", "left-pad.tgz")));
        Assert.Equal("left-pad", File.ReadAllText(Path.Combine(next, "_cacache", "index")));
        Assert.True(File.GetUnixFileMode(Path.Combine(next, "bin-tool")).HasFlag(UnixFileMode.UserExecute));
        var objectKey = Assert.Single(await ObjectKeysAsync());
        Assert.Equal(store.ObjectKey(Key), objectKey);
        Assert.StartsWith("caches/", objectKey, StringComparison.Ordinal);
        Assert.EndsWith($"/npm/{Key.LockFileHash}.tar.gz", objectKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_repository_or_another_lock_file_restores_nothing()
    {
        var store = Store();
        await store.SaveAsync(Key, Setup("run-1"), CancellationToken.None);

        Assert.False(await store.RestoreAsync(Key with { Scope = "evil/planter" }, _folder.Combine("other-repo"), CancellationToken.None));
        Assert.False(await store.RestoreAsync(Key with { LockFileHash = new string('b', 64) }, _folder.Combine("new-lock"), CancellationToken.None));
        Assert.False(await store.RestoreAsync(Key with { Ecosystem = "pip" }, _folder.Combine("other-ecosystem"), CancellationToken.None));
    }

    [Fact]
    public async Task A_cache_older_than_the_expiry_is_not_restored_and_a_younger_one_is()
    {
        var store = Store();
        await store.SaveAsync(Key, Setup("run-1"), CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(13));
        Assert.True(await store.RestoreAsync(Key, _folder.Combine("day-13"), CancellationToken.None));

        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var late = _folder.Combine("day-14");
        Assert.False(await store.RestoreAsync(Key, late, CancellationToken.None));
        Assert.False(Directory.Exists(late) && Directory.EnumerateFileSystemEntries(late).Any());

        // Saving again starts its age anew (a clock at the time of that save).
        await store.SaveAsync(Key, Setup("run-3"), CancellationToken.None);
        var now = new S3DependencyCacheStore(emulators.S3, Options.Create(_options), new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger<S3DependencyCacheStore>.Instance);
        Assert.True(await now.RestoreAsync(Key, _folder.Combine("after-save"), CancellationToken.None));
    }

    [Fact]
    public async Task A_cache_past_the_size_cap_is_not_saved()
    {
        var cache = Setup("big");
        File.WriteAllBytes(Path.Combine(cache, "huge.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 * 1024 * 1024));

        await Store().SaveAsync(Key, cache, CancellationToken.None);

        Assert.Empty(await ObjectKeysAsync());
        Assert.False(await Store().RestoreAsync(Key, _folder.Combine("restored"), CancellationToken.None));
    }

    [Fact]
    public async Task Links_in_a_cache_are_not_saved_so_no_restore_can_point_outside_it()
    {
        var cache = Setup("links");
        File.CreateSymbolicLink(Path.Combine(cache, "passwd"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(cache, "etc"), "/etc");

        await Store().SaveAsync(Key, cache, CancellationToken.None);
        var restored = _folder.Combine("restored");
        Assert.True(await Store().RestoreAsync(Key, restored, CancellationToken.None));

        Assert.False(Path.Exists(Path.Combine(restored, "passwd")));
        Assert.False(Path.Exists(Path.Combine(restored, "etc")));
        Assert.True(File.Exists(Path.Combine(restored, "_cacache", "index")));
    }

    [Fact]
    public async Task A_planted_archive_that_climbs_out_or_links_out_restores_nothing_and_writes_nothing_outside()
    {
        var store = Store();
        var outside = _folder.Combine("outside.txt");
        using var archive = new MemoryStream();
        await using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "escape") { LinkName = _folder.Path });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "ok.txt") { DataStream = new MemoryStream("fine"u8.ToArray()) });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "escape/outside.txt") { DataStream = new MemoryStream("via link"u8.ToArray()) });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "../outside.txt") { DataStream = new MemoryStream("climbed"u8.ToArray()) });
        }

        archive.Position = 0;
        await emulators.S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = store.ObjectKey(Key), InputStream = archive, UseChunkEncoding = false });
        var target = _folder.Combine("target");

        var restored = await store.RestoreAsync(Key, target, CancellationToken.None);

        Assert.False(restored);
        Assert.False(File.Exists(outside));
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [Fact]
    public void A_key_with_a_path_in_its_ecosystem_or_hash_is_refused_with_a_sentence()
    {
        var e = Assert.Throws<ArgumentException>(() => Store().ObjectKey(Key with { Ecosystem = "../npm" }));
        Assert.Contains("ecosystem", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Store().ObjectKey(Key with { LockFileHash = "a/b" }));
    }
}
