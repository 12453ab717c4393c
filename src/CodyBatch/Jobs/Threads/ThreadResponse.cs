namespace CodyBatch.Jobs;

/// <summary>
/// A run's thread as <c>GET …/thread</c> answers it: the stored artifact, streamed as it is. This type documents
/// its shape in the OpenAPI document (so the web UI's types come from there); the server never builds one.
/// </summary>
public sealed record ThreadResponse(string Repository, string Model, IReadOnlyList<ThreadEntry> Entries);
