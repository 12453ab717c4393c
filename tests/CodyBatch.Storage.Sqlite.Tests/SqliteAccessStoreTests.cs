using CodyBatch.Core.Access;
using CodyBatch.Storage.Sqlite.Access;
using Microsoft.Data.Sqlite;

namespace CodyBatch.Storage.Sqlite.Tests;

public sealed class SqliteAccessStoreTests : AccessStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<(IApiKeyStore Keys, IAuditLog Audit)> CreateStoresAsync()
    {
        var database = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("data", "codybatch.db")));
        await database.InitializeAsync(CancellationToken.None);
        return (new SqliteApiKeyStore(database), new SqliteAuditLog(database));
    }

    [Fact]
    public async Task The_file_refuses_to_change_an_audit_entry()
    {
        var (_, audit) = await CreateStoresAsync();
        await audit.AppendAsync(
            new AuditEntry { Id = "audit-x", At = DateTimeOffset.UnixEpoch, Actor = "alice", Action = "CreateJob", Outcome = "succeeded" }, CancellationToken.None);
        await using var connection = new SqliteConnection($"Data Source={_folder.Combine("data", "codybatch.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE audit_log SET actor = 'mallory'";

        var refused = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
