namespace CodyBatch.Storage.Sqlite.Jobs;

/// <summary>Where the SQLite database file is.</summary>
public sealed record SqliteStoreLocation(string DatabasePath);
