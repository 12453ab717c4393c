namespace CodyBatch.Storage.Sqlite.Jobs;

/// <summary>A connection that lets the next writer of this process in when it is disposed (see <see cref="SqliteJobStore.OpenForWriteAsync"/>).</summary>
internal sealed class WriterConnection(string connectionString, SemaphoreSlim writer) : SqliteConnection(connectionString)
{
    private int _released;

    protected override void Dispose(bool disposing)
    {
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            // Even when closing throws, the next writer is let in.
            if (disposing && Interlocked.Exchange(ref _released, 1) == 0)
            {
                writer.Release();
            }
        }
    }
}
