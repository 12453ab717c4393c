namespace CodyBatch.Tests.Schedules;

/// <summary>
/// Two admins editing one schedule: each edit names the revision it was made on (<c>If-Match</c>), so the second
/// edit, made on what the first replaced, is refused rather than silently winning.
/// </summary>
public sealed class ScheduleEditApiTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static object Spec(string name, string cron) => new { name, prompt = "Fix the docs.", repositories = new[] { "acme/api" }, cron };

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string id, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/schedules/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    [Fact]
    public async Task An_edit_made_on_a_revision_another_edit_replaced_is_a_412_and_changes_nothing()
    {
        var client = _factory.CreateClient();
        var created = await (await client.PostAsJsonAsync("/api/schedules", Spec("Nightly", "0 6 * * *"))).JsonAsync();
        var id = created["id"]!.GetValue<string>();
        var read = await client.GetAsync($"/api/schedules/{id}");
        var tag = read.Headers.ETag!.Tag;

        // Both admins read revision 0; the first saves, then someone pauses it (an edit of `enabled`: a revision too).
        var first = await PutAsync(client, id, Spec("Nightly docs", "0 6 * * *"), tag);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/schedules/{id}/pause", null)).StatusCode);
        var second = await PutAsync(client, id, Spec("Nightly", "0 7 * * *"), tag);

        Assert.Equal(("\"0\"", 0), (tag, created["revision"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"1\"", first.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        var problem = await second.JsonAsync();
        Assert.Equal("The schedule was edited since you read it", problem["title"]!.GetValue<string>());
        Assert.StartsWith("Schedule \"Nightly docs\" was edited at ", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("(it is at revision 2, your edit was made on \"0\"); nothing was changed. Read it again and make your edit on what it holds now.", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var now = await (await client.GetAsync($"/api/schedules/{id}")).JsonAsync();
        Assert.Equal(("Nightly docs", "0 6 * * *", 2, false), (now["name"]!.GetValue<string>(), now["cron"]!.GetValue<string>(), now["revision"]!.GetValue<int>(), now["enabled"]!.GetValue<bool>()));

        // Made again on what it holds now (the list's revision), the edit lands; without If-Match (the command line) it is unconditional.
        var listed = (await (await client.GetAsync("/api/schedules")).JsonAsync()).AsArray().Single()!;
        var again = await PutAsync(client, id, Spec("Nightly", "0 7 * * *"), $"\"{listed["revision"]!.GetValue<int>()}\"");
        var unconditional = await PutAsync(client, id, Spec("Nightly", "0 8 * * *"), null);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (again.StatusCode, unconditional.StatusCode));
        Assert.Equal(("0 8 * * *", 4), ((await unconditional.JsonAsync())["cron"]!.GetValue<string>(), (await unconditional.JsonAsync())["revision"]!.GetValue<int>()));
    }

    [Fact]
    public async Task If_match_compares_strongly_and_takes_a_list()
    {
        var client = _factory.CreateClient();
        var id = (await (await client.PostAsJsonAsync("/api/schedules", Spec("Nightly", "0 6 * * *"))).JsonAsync())["id"]!.GetValue<string>();

        // A weak tag never matches (RFC 9110: If-Match compares strongly); a list matches when one of its tags does.
        var weak = await PutAsync(client, id, Spec("Weak", "0 6 * * *"), "W/\"0\"");
        var listed = await PutAsync(client, id, Spec("Listed", "0 6 * * *"), "\"7\", \"0\"");
        var listedStale = await PutAsync(client, id, Spec("Stale", "0 6 * * *"), "\"7\", \"0\"");
        var any = await PutAsync(client, id, Spec("Any", "0 6 * * *"), "*");

        Assert.Equal(
            (HttpStatusCode.PreconditionFailed, HttpStatusCode.OK, HttpStatusCode.PreconditionFailed, HttpStatusCode.OK),
            (weak.StatusCode, listed.StatusCode, listedStale.StatusCode, any.StatusCode));
        Assert.Equal("Any", (await (await client.GetAsync($"/api/schedules/{id}")).JsonAsync())["name"]!.GetValue<string>());
    }
}
