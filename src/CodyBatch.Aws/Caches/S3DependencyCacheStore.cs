using System.Net;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using CodyBatch.Core.Environments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Aws.Caches;

/// <summary>
/// Dependency caches in S3, one gzip-compressed tar per key at <c>{prefix}{scope hash}/{ecosystem}/{lock-file hash}.tar.gz</c>.
/// A save past the size cap keeps nothing; a restore ignores an object older than the expiry (its age from its
/// <c>Last-Modified</c> and the <see cref="TimeProvider"/>), and the bucket's lifecycle rule deletes it later. A cache that
/// cannot be read counts as missing: the run's setup then fills it again.
/// </summary>
public sealed partial class S3DependencyCacheStore(IAmazonS3 client, IOptions<DependencyCacheOptions> options, TimeProvider time, ILogger<S3DependencyCacheStore> logger)
    : IDependencyCacheStore
{
    /// <summary>The object key of <paramref name="key"/>.</summary>
    public string ObjectKey(DependencyCacheKey key)
    {
        if (!Segment().IsMatch(key.Ecosystem) || !Segment().IsMatch(key.LockFileHash) || string.IsNullOrEmpty(key.Scope))
        {
            throw new ArgumentException($"A dependency cache key needs a scope, and an ecosystem and lock-file hash of letters, digits, '.', '_' or '-' (got \"{key.Ecosystem}\", \"{key.LockFileHash}\").", nameof(key));
        }

        // The scope (a repository's name) is hashed: any text makes a fixed, safe key segment.
        var scope = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Scope)))[..32];
        return $"{options.Value.Prefix}{scope}/{key.Ecosystem}/{key.LockFileHash}.tar.gz";
    }

    /// <inheritdoc />
    public async Task<bool> RestoreAsync(DependencyCacheKey key, string targetDirectory, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var objectKey = ObjectKey(key);
        GetObjectResponse response;
        try
        {
            response = await client.GetObjectAsync(settings.BucketName, objectKey, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (AmazonS3Exception e)
        {
            LogUnreadable(logger, e, objectKey);
            return false;
        }

        using (response)
        {
            var age = time.GetUtcNow() - (response.LastModified ?? DateTime.MinValue).ToUniversalTime();
            if (age > settings.Expiry)
            {
                LogExpired(logger, objectKey, age);
                return false;
            }

            if (response.ContentLength > MaxBytes(settings))
            {
                LogUnreadable(logger, null, objectKey);
                return false;
            }

            try
            {
                await CacheArchive.ExtractAsync(response.ResponseStream, targetDirectory, cancellationToken);
                return true;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or AmazonS3Exception)
            {
                // Half a cache is worse than none: setup fills an empty folder completely.
                LogUnreadable(logger, e, objectKey);
                Empty(targetDirectory);
                return false;
            }
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(DependencyCacheKey key, string sourceDirectory, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var objectKey = ObjectKey(key);
        if (!Directory.Exists(sourceDirectory))
        {
            return;
        }

        var archive = Path.Combine(Path.GetTempPath(), $"codybatch-cache-{Guid.NewGuid():N}.tar.gz");
        try
        {
            await using (var file = new FileStream(archive, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await CacheArchive.WriteAsync(sourceDirectory, file, MaxBytes(settings), cancellationToken);
            }

            await using var upload = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await client.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = settings.BucketName,
                    Key = objectKey,
                    InputStream = upload,
                    ContentType = "application/gzip",
                    AutoCloseStream = false,
                    UseChunkEncoding = false,
                },
                cancellationToken);
        }
        catch (ArchiveTooLargeException e)
        {
            LogTooLarge(logger, objectKey, e.Message);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private static long MaxBytes(DependencyCacheOptions settings) => settings.MaxArchiveMb * 1024L * 1024L;

    private static void Empty(string folder)
    {
        if (Directory.Exists(folder))
        {
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo directory && directory.LinkTarget is null)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex Segment();

    [LoggerMessage(Level = LogLevel.Information, Message = "Dependency cache {Key} is {Age} old, past its expiry; setup fills it again")]
    private static partial void LogExpired(ILogger logger, string key, TimeSpan age);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dependency cache {Key} could not be restored; setup fills it again")]
    private static partial void LogUnreadable(ILogger logger, Exception? exception, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dependency cache {Key} not saved: {Reason}")]
    private static partial void LogTooLarge(ILogger logger, string key, string reason);
}
