using Amazon.S3.Model;

namespace CodyBatch.Aws.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class S3ArtifactStoreTests(Emulators emulators) : ArtifactStoreContract
{
    protected override async Task<IArtifactStore> CreateStoreAsync()
    {
        var bucket = $"codybatch-{Guid.NewGuid():N}"[..40];
        await emulators.S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return new S3ArtifactStore(emulators.S3, bucket);
    }
}
