namespace CodyBatch.Tests.Access;

/// <summary>Clients of one server: the configured admin key's, and named keys made through the API.</summary>
internal static class AccessClients
{
    public const string ConfiguredKey = "configured-admin-key-0123456789";

    public static HttpClient WithKey(this ApiFactory factory, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Creates a named key through the API; returns its id and text.</summary>
    public static async Task<(string Id, string Secret)> CreateKeyAsync(this HttpClient admin, string name, string role, DateTimeOffset? expiresAt = null, decimal? monthlyCapUsd = null)
    {
        var response = await admin.PostAsJsonAsync("/api/keys", new { name, role, expiresAt, monthlyCapUsd });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.JsonAsync();
        return (created["key"]!["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }
}
