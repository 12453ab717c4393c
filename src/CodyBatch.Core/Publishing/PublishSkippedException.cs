namespace CodyBatch.Core.Publishing;

/// <summary>
/// A host found, before pushing anything, that it cannot publish this change (a token that may not
/// change workflow files, say). The run keeps its patch and shows <see cref="Exception.Message"/>
/// as its notice; it is not a failure.
/// </summary>
public sealed class PublishSkippedException(string notice) : Exception(notice);
