using System.Net.Http.Json;
using System.Text.Json.Nodes;

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

    /// <summary>Polls the job until <paramref name="condition"/> holds; fails after 30 seconds.</summary>
    public static async Task<JsonNode> WaitForJobAsync(this HttpClient client, string id, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var job = await (await client.GetAsync($"/api/jobs/{id}")).JsonAsync();
            if (condition(job))
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Job {id} did not get there: {job.ToJsonString()}");
            }

            await Task.Delay(25);
        }
    }

    public static Task<JsonNode> WaitForEndAsync(this HttpClient client, string id) =>
        client.WaitForJobAsync(id, job => job["status"]!.GetValue<string>() is "completed" or "failed" or "cancelled");
}
