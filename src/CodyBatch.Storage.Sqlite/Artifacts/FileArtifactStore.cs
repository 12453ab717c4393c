using CodyBatch.Core.Artifacts;

namespace CodyBatch.Storage.Sqlite.Artifacts;

/// <summary>Artifacts as files under a root folder; each write goes to a temporary file first and is then moved into place.</summary>
public sealed class FileArtifactStore(string root) : IArtifactStore
{
    private readonly string _root = Path.GetFullPath(root);

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            // No buffer of the file's own: the copy writes whole chunks from a pooled buffer (or a memory stream's
            // own), so an 80 KB buffer allocated for every artifact bought nothing but garbage.
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    private string PathOf(string key)
    {
        if (!ArtifactKeys.IsSafe(key))
        {
            throw new ArgumentException($"\"{key}\" is not a valid artifact key.", nameof(key));
        }

        return Path.Combine(_root, key);
    }
}
