using CodyBatch.Core.Artifacts;

namespace CodyBatch.Testing;

/// <summary>What every <see cref="IArtifactStore"/> must do.</summary>
public abstract class ArtifactStoreContract
{
    protected abstract Task<IArtifactStore> CreateStoreAsync();

    [Fact]
    public async Task Stored_bytes_read_back_identically_and_overwrite_replaces()
    {
        var store = await CreateStoreAsync();
        var bytes = Encoding.UTF8.GetBytes("diff --git a/x b/x\n+ünïcødé\r\n\0binary");

        await store.PutAsync("jobs/1/o/n/patch.diff", new MemoryStream(bytes), "text/x-diff", CancellationToken.None);
        Assert.Equal(bytes, await ReadAsync(store, "jobs/1/o/n/patch.diff"));

        await store.PutAsync("jobs/1/o/n/patch.diff", new MemoryStream([1, 2, 3]), "text/x-diff", CancellationToken.None);
        Assert.Equal([1, 2, 3], await ReadAsync(store, "jobs/1/o/n/patch.diff"));
    }

    [Fact]
    public async Task Missing_artifact_is_null()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.OpenReadAsync("jobs/none/o/n/patch.diff", CancellationToken.None));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("jobs/../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("jobs//x")]
    [InlineData("jobs\\x")]
    public async Task Keys_that_could_leave_the_store_are_refused(string key)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new MemoryStream([1]), "text/plain", CancellationToken.None));
    }

    private static async Task<byte[]?> ReadAsync(IArtifactStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key, CancellationToken.None);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
