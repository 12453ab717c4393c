using CodyBatch.Core.Access;

namespace CodyBatch.Tests.Access;

/// <summary>Named keys through the API: shown once, stored as digests, expiring and revoked at once, and who you are.</summary>
public sealed class ApiKeyLifecycleTests : IDisposable
{
    private readonly ApiFactory _factory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _admin;

    public ApiKeyLifecycleTests()
    {
        _factory.Settings["CodyBatch:ApiKeys:0"] = AccessClients.ConfiguredKey;
        // Only the keys' clock is fake; the workers keep real time.
        _factory.ConfigureServices = services => services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ApiKeyService>(sp, _clock));
        _admin = _factory.WithKey(AccessClients.ConfiguredKey);
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_new_key_is_shown_once_works_with_its_role_and_says_who_it_is()
    {
        var (id, secret) = await _admin.CreateKeyAsync("Alice Example", "operator");
        var alice = _factory.WithKey(secret);

        var me = await (await alice.GetAsync("/api/me")).JsonAsync();
        var listed = await (await _admin.GetAsync("/api/keys")).Content.ReadAsStringAsync();
        var created = await alice.CreateJobAsync("acme/api");

        Assert.StartsWith("cb_", secret, StringComparison.Ordinal);
        Assert.True(secret.Length >= 40);
        Assert.Equal(("Alice Example", "operator", id, true, false), (me["name"]!.GetValue<string>(), me["role"]!.GetValue<string>(), me["keyId"]!.GetValue<string>(), me["canOperate"]!.GetValue<bool>(), me["canAdminister"]!.GetValue<bool>()));
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[7..], listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Alice Example", (await created.JsonAsync())["author"]!.GetValue<string>());
        await JobsApiTests.AssertProblemAsync(
            await alice.GetAsync("/api/keys"), HttpStatusCode.Forbidden,
            "This needs the admin role; the key Alice Example has the operator role. Ask an admin for a key with the admin role.");
    }

    [Fact]
    public async Task The_configured_key_is_an_admin_and_a_server_without_keys_answers_as_local_admin()
    {
        var me = await (await _admin.GetAsync("/api/me")).JsonAsync();

        using var open = new ApiFactory();
        var local = await (await open.CreateClient().GetAsync("/api/me")).JsonAsync();

        Assert.Equal(("configured key 1", "admin"), (me["name"]!.GetValue<string>(), me["role"]!.GetValue<string>()));
        Assert.Equal(("local", "admin"), (local["name"]!.GetValue<string>(), local["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Revocation_takes_effect_on_the_next_request()
    {
        var (id, secret) = await _admin.CreateKeyAsync("bob", "viewer");
        var bob = _factory.WithKey(secret);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/api/jobs")).StatusCode);

        var revoked = await _admin.PostAsync($"/api/keys/{id}/revoke", null);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.False((await revoked.JsonAsync())["active"]!.GetValue<bool>());
        await JobsApiTests.AssertProblemAsync(
            await bob.GetAsync("/api/jobs"), HttpStatusCode.Unauthorized, "This API key (bob) was revoked at 2026-12-01 09:00:00Z; ask an admin for a new one.");
        await JobsApiTests.AssertProblemAsync(await _admin.PostAsync("/api/keys/key-nothing/revoke", null), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task A_key_stops_at_its_expiry_and_records_when_it_was_last_used()
    {
        var (id, secret) = await _admin.CreateKeyAsync("carol", "viewer", expiresAt: _clock.GetUtcNow().AddHours(1));
        var carol = _factory.WithKey(secret);

        _clock.Advance(TimeSpan.FromMinutes(59));
        var before = await carol.GetAsync("/api/jobs");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var at = await carol.GetAsync("/api/jobs");
        var key = (await (await _admin.GetAsync("/api/keys")).JsonAsync()).AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await JobsApiTests.AssertProblemAsync(at, HttpStatusCode.Unauthorized, "This API key (carol) expired at 2026-12-01 10:00:00Z; ask an admin for a new one.");
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 59, 0, TimeSpan.Zero), key["lastUsedAt"]!.GetValue<DateTimeOffset>());
        Assert.False(key["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bad_key_requests_say_what_to_fix()
    {
        await _admin.CreateKeyAsync("dave", "viewer");

        var response = await _admin.PostAsync("/api/keys", new StringContent("""{"name":"DAVE","role":"root","expiresAt":"2020-01-01T00:00:00Z","monthlyCapUsd":-1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync())["errors"]!;
        Assert.Contains("exists already", errors["name"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("role must be viewer, operator or admin.", errors["role"]![0]!.GetValue<string>());
        Assert.NotNull(errors["expiresAt"]);
        Assert.NotNull(errors["monthlyCapUsd"]);
    }

    [Fact]
    public async Task The_key_text_is_nowhere_in_the_data_folder()
    {
        var secrets = new List<string>();
        var jobs = new List<string>();
        foreach (var name in new[] { "erin", "frank" })
        {
            var (_, secret) = await _admin.CreateKeyAsync(name, "operator");
            var client = _factory.WithKey(secret);
            var created = await client.CreateJobAsync("acme/api");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            jobs.Add((await created.JsonAsync())["id"]!.GetValue<string>());
            secrets.Add(secret);
        }

        // The jobs' threads and artifacts are written by then, and no workspace is being written under the scan.
        foreach (var job in jobs)
        {
            await _admin.WaitForEndAsync(job);
        }

        // Every file of the server's data: the SQLite database, its write-ahead log, artifacts. A file that goes
        // between the listing and the read (a workspace being removed) holds nothing any more.
        var contents = Directory.EnumerateFiles(_factory.DataPath, "*", SearchOption.AllDirectories)
            .Select(path => (path, bytes: ReadShared(path)))
            .Where(c => c.bytes is not null)
            .Select(c => (c.path, bytes: c.bytes!))
            .ToList();

        Assert.Contains(contents, c => c.path.EndsWith("codybatch.db", StringComparison.Ordinal) || c.path.EndsWith("codybatch.db-wal", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            // The text and its random part alone (the stored prefix is "cb_" and four characters).
            foreach (var needle in new[] { secret, secret[7..], secret[7..27] })
            {
                Assert.DoesNotContain(contents, c => c.bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0);
            }

            // What is stored instead: the digest.
            Assert.Contains(contents, c => c.bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(ApiKeyService.HashOf(secret))) >= 0);
        }
    }

    private static byte[]? ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
