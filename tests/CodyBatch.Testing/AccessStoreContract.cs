using CodyBatch.Core.Access;

namespace CodyBatch.Testing;

/// <summary>
/// What every store of API keys and every audit log must do. A store's test class derives from this and
/// supplies fresh, empty stores on one database.
/// </summary>
public abstract class AccessStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>New, empty, initialized stores on one database.</summary>
    protected abstract Task<(IApiKeyStore Keys, IAuditLog Audit)> CreateStoresAsync();

    private static ApiKey NewKey(string name, int minutes) => new()
    {
        Id = "key-" + JobId.New(T0.AddMinutes(minutes)),
        Name = name,
        Role = Role.Operator,
        Hash = ApiKeyService.HashOf("cb_" + name + minutes),
        Prefix = "cb_abcd",
        CreatedAt = T0.AddMinutes(minutes),
        CreatedBy = "cli",
        ExpiresAt = T0.AddDays(30),
        MonthlyCapUsd = 12.5m,
    };

    private static AuditEntry Entry(DateTimeOffset at, string actor, string action, string target) => new()
    {
        Id = "audit-" + JobId.New(at),
        At = at,
        Actor = actor,
        Action = action,
        Target = target,
        Address = "10.0.0.7",
        Outcome = "succeeded",
        Status = 200,
        Detail = "ünïcødé detail",
    };

    [Fact]
    public async Task A_key_reads_back_by_id_and_by_hash_with_every_field()
    {
        var (keys, _) = await CreateStoresAsync();
        var key = NewKey("alice", 0);

        await keys.CreateAsync(key, CancellationToken.None);

        Assert.Equal(key, await keys.GetAsync(key.Id, CancellationToken.None));
        Assert.Equal(key, await keys.FindByHashAsync(key.Hash, CancellationToken.None));
        Assert.Null(await keys.FindByHashAsync(ApiKeyService.HashOf("cb_someone-else"), CancellationToken.None));
        Assert.Null(await keys.GetAsync("key-" + JobId.New(T0.AddDays(1)), CancellationToken.None));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => keys.CreateAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Keys_list_oldest_first_and_an_update_needs_the_version_read()
    {
        var (keys, _) = await CreateStoresAsync();
        var bob = NewKey("bob", 5);
        var alice = NewKey("alice", 0);
        await keys.CreateAsync(bob, CancellationToken.None);
        await keys.CreateAsync(alice, CancellationToken.None);

        var revoked = await keys.TryUpdateAsync(alice with { RevokedAt = T0.AddHours(1) }, CancellationToken.None);
        var stale = await keys.TryUpdateAsync(alice with { LastUsedAt = T0.AddHours(2) }, CancellationToken.None);

        Assert.Equal(["alice", "bob"], (await keys.ListAsync(CancellationToken.None)).Select(k => k.Name));
        Assert.Equal(1, revoked!.Version);
        Assert.Null(stale);
        var stored = await keys.FindByHashAsync(alice.Hash, CancellationToken.None);
        Assert.Equal((T0.AddHours(1), (DateTimeOffset?)null), (stored!.RevokedAt!.Value, stored.LastUsedAt));
    }

    [Fact]
    public async Task The_audit_log_reads_newest_first_filtered_and_in_pages_across_days()
    {
        var (_, audit) = await CreateStoresAsync();
        var entries = new[]
        {
            Entry(T0.AddDays(-2), "alice", "CreateJob", "job 1"),
            Entry(T0.AddDays(-1), "bob", "CancelJob", "job 1"),
            Entry(T0.AddDays(-1).AddMinutes(1), "schedule Nightly", "schedule.fired", "schedule schedule-1"),
            Entry(T0, "webhook", "pullRequest.changed", "octo/app#1"),
            Entry(T0.AddMinutes(1), "Alice", "CreateJob", "job 2"),
        };
        foreach (var entry in entries)
        {
            await audit.AppendAsync(entry, CancellationToken.None);
        }

        var all = new AuditQuery(Since: T0.AddDays(-10), Until: T0.AddDays(1));
        var everything = await audit.QueryAsync(all, CancellationToken.None);
        var byAlice = await audit.QueryAsync(all with { Actor = "ALICE" }, CancellationToken.None);
        var cancels = await audit.QueryAsync(all with { Action = "canceljob" }, CancellationToken.None);
        var aboutJob1 = await audit.QueryAsync(all with { Target = "JOB 1" }, CancellationToken.None);
        var lastDay = await audit.QueryAsync(all with { Since = T0.AddHours(-1) }, CancellationToken.None);
        var first = await audit.QueryAsync(all with { Limit = 2 }, CancellationToken.None);
        var second = await audit.QueryAsync(all with { Limit = 2, Cursor = first.NextCursor }, CancellationToken.None);
        var third = await audit.QueryAsync(all with { Limit = 2, Cursor = second.NextCursor }, CancellationToken.None);

        Assert.Equal(entries.Reverse(), everything.Items);
        Assert.Null(everything.NextCursor);
        Assert.Equal(["job 2", "job 1"], byAlice.Items.Select(e => e.Target));
        Assert.Equal("bob", Assert.Single(cancels.Items).Actor);
        Assert.Equal(["CancelJob", "CreateJob"], aboutJob1.Items.Select(e => e.Action));
        Assert.Equal(["job 2", "octo/app#1"], lastDay.Items.Select(e => e.Target));
        Assert.Equal(entries.Reverse().Select(e => e.Id), first.Items.Concat(second.Items).Concat(third.Items).Select(e => e.Id));
        Assert.Null(third.NextCursor);
    }

    [Fact]
    public async Task Retention_removes_only_entries_older_than_the_cutoff()
    {
        var (_, audit) = await CreateStoresAsync();
        var old = Entry(T0.AddDays(-3), "alice", "CreateJob", "job 1");
        var young = Entry(T0.AddDays(-1), "bob", "CancelJob", "job 1");
        await audit.AppendAsync(old, CancellationToken.None);
        await audit.AppendAsync(young, CancellationToken.None);

        await audit.DeleteBeforeAsync(T0.AddDays(-2), CancellationToken.None);

        Assert.Equal([young], (await audit.QueryAsync(new AuditQuery(Since: T0.AddDays(-10), Until: T0), CancellationToken.None)).Items);
    }
}
