using Amazon.Runtime;
using CodyBatch.Aws.Secrets;

namespace CodyBatch.Aws.Tests.Secrets;

/// <summary>The API and the sweep read their secrets from SSM SecureString parameters when they start.</summary>
public sealed class SsmSecretsTests
{
    private static readonly BasicAWSCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    private static ConfigurationManager Settings(string url, params (string Key, string Parameter)[] secrets)
    {
        var configuration = new ConfigurationManager();
        var values = new Dictionary<string, string?> { ["CodyBatch:Aws:SsmServiceUrl"] = url, ["CodyBatch:Aws:Region"] = "eu-west-1" };
        for (var i = 0; i < secrets.Length; i++)
        {
            values[$"CodyBatch:Aws:Secrets:{i}:Key"] = secrets[i].Key;
            values[$"CodyBatch:Aws:Secrets:{i}:Parameter"] = secrets[i].Parameter;
        }

        configuration.AddInMemoryCollection(values);
        return configuration;
    }

    [Fact]
    public async Task Listed_parameters_are_read_decrypted_in_one_signed_call_into_the_settings()
    {
        await using var ssm = await FakeSsm.StartAsync(new() { ["/codybatch/github-token"] = "ghp_secret", ["/codybatch/api-key"] = "key-0123456789abcdef" });
        var configuration = Settings(ssm.Url, ("GITHUB_TOKEN", "/codybatch/github-token"), ("CodyBatch:ApiKeys:0", "/codybatch/api-key"));

        configuration.AddSsmSecrets(Credentials);

        Assert.Empty(ssm.Problems);
        Assert.Equal("ghp_secret", configuration["GITHUB_TOKEN"]);
        Assert.Equal("key-0123456789abcdef", configuration["CodyBatch:ApiKeys:0"]);
        var request = Assert.Single(ssm.Requests);
        Assert.True(request["WithDecryption"]!.GetValue<bool>());
        Assert.Equal(["/codybatch/github-token", "/codybatch/api-key"], request["Names"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task A_missing_parameter_stops_the_start_with_a_sentence_that_names_it()
    {
        await using var ssm = await FakeSsm.StartAsync(new() { ["/codybatch/github-token"] = "ghp_secret" });
        var configuration = Settings(ssm.Url, ("GITHUB_TOKEN", "/codybatch/github-token"), ("CodyBatch:ApiKeys:0", "/codybatch/api-key"));

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.AddSsmSecrets(Credentials));

        Assert.Contains("/codybatch/api-key", failure.Message, StringComparison.Ordinal);
        Assert.Contains("SecureString", failure.Message, StringComparison.Ordinal);
        Assert.Null(configuration["GITHUB_TOKEN"]);
    }

    [Fact]
    public async Task A_role_without_access_stops_the_start_saying_what_to_grant()
    {
        await using var ssm = await FakeSsm.StartAsync(new() { ["/codybatch/github-token"] = "ghp_secret" });
        ssm.DenyAccess = true;
        var configuration = Settings(ssm.Url, ("GITHUB_TOKEN", "/codybatch/github-token"));

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.AddSsmSecrets(Credentials));

        Assert.Contains("ssm:GetParameters", failure.Message, StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_secret", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_read_when_no_secret_is_listed()
    {
        await using var ssm = await FakeSsm.StartAsync([]);
        var configuration = Settings(ssm.Url);

        configuration.AddSsmSecrets(Credentials);

        Assert.Empty(ssm.Requests);
        Assert.Empty(ssm.Problems);
    }

    [Fact]
    public void An_entry_without_a_parameter_name_is_refused()
    {
        var configuration = Settings("http://127.0.0.1:9", ("GITHUB_TOKEN", ""));

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.AddSsmSecrets(Credentials));

        Assert.Contains("CodyBatch:Aws:Secrets:0", failure.Message, StringComparison.Ordinal);
    }
}
