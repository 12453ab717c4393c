using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace CodyBatch.Aws.Artifacts;

/// <summary>Artifacts as S3 objects under their keys; a put replaces the object atomically.</summary>
public sealed class S3ArtifactStore(IAmazonS3 client, string bucket) : IArtifactStore
{
    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        Check(key);
        await client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = content,
                ContentType = contentType,
                AutoCloseStream = false,
                UseChunkEncoding = false,
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        Check(key);
        try
        {
            var response = await client.GetObjectAsync(bucket, key, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static void Check(string key)
    {
        if (!ArtifactKeys.IsSafe(key))
        {
            throw new ArgumentException($"\"{key}\" is not a valid artifact key.", nameof(key));
        }
    }
}
