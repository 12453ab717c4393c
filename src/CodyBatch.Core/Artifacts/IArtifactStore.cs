namespace CodyBatch.Core.Artifacts;

/// <summary>Where patches and threads are kept. Keys are relative paths such as <c>jobs/ID/owner/name/patch.diff</c>.</summary>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, replacing what was there, atomically.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>Opens the artifact for reading, or returns null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);
}
