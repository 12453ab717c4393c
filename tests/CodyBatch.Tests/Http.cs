namespace CodyBatch.Tests;

internal static class Http
{
    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("The body was JSON null.");
    }

    public static Task<HttpResponseMessage> CreateJobAsync(this HttpClient client, params string[] repositories) =>
        client.PostAsJsonAsync("/api/jobs", new { prompt = "Append a line", repositories });

    /// <summary>
    /// Awaits the job reaching <paramref name="condition"/>: the job's event stream says when it changes,
    /// and the job is read again after each event, so nothing is polled on a clock.
    /// </summary>
    public static Task<JsonNode> WaitForJobAsync(this HttpClient client, string id, Func<JsonNode, bool> condition) =>
        WaitForJobCoreAsync(client, id, condition).Expect($"Job {id} reaching the expected state");

    private static async Task<JsonNode> WaitForJobCoreAsync(HttpClient client, string id, Func<JsonNode, bool> condition)
    {
        // Subscribed before the first read, so no change between the read and the stream goes unseen.
        using var response = await client.GetAsync($"/api/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"GET /api/jobs/{id}/events answered {(int)response.StatusCode}.");
        using var events = new EventReader(await response.Content.ReadAsStreamAsync());
        while (true)
        {
            var job = await (await client.GetAsync($"/api/jobs/{id}")).JsonAsync();
            if (condition(job))
            {
                return job;
            }

            if (await events.ReadOrEndAsync() is null)
            {
                // The stream ends with the job; what the job is now is what it stays.
                job = await (await client.GetAsync($"/api/jobs/{id}")).JsonAsync();
                Assert.True(condition(job), $"Job {id} ended without getting there: {job.ToJsonString()}");
                return job;
            }
        }
    }

    public static Task<JsonNode> WaitForEndAsync(this HttpClient client, string id) =>
        client.WaitForJobAsync(id, job => job["status"]!.GetValue<string>() is "completed" or "failed" or "cancelled");
}
