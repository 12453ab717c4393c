using CodyBatch.Core.Artifacts;
using CodyBatch.Storage.Sqlite.Artifacts;

namespace CodyBatch.Storage.Sqlite.Tests;

public sealed class FileArtifactStoreTests : ArtifactStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override Task<IArtifactStore> CreateStoreAsync() =>
        Task.FromResult<IArtifactStore>(new FileArtifactStore(_folder.Combine("artifacts")));

    [Fact]
    public async Task Nothing_is_written_outside_the_root_and_no_temporary_file_is_left()
    {
        var store = await CreateStoreAsync();

        await store.PutAsync("jobs/1/o/n/thread.json", new MemoryStream([1]), "application/json", CancellationToken.None);

        Assert.Equal([_folder.Combine("artifacts", "jobs", "1", "o", "n", "thread.json")], Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories));
    }

    public void Dispose() => _folder.Dispose();
}
