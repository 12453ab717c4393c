using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Configuration;

namespace CodyBatch.Aws.Secrets;

/// <summary>
/// Secrets from SSM SecureString parameters, read once when the process starts. <c>CodyBatch:Aws:Secrets</c> lists
/// pairs of a configuration key and a parameter name (<c>{ "Key": "GITHUB_TOKEN", "Parameter": "/codybatch/github-token" }</c>);
/// the values are decrypted with the process's role and added to the configuration, never to an environment variable.
/// Nothing is read when the list is empty. <c>CodyBatch:Aws:SsmServiceUrl</c> points at another endpoint (tests).
/// </summary>
public static class SsmSecretsConfigurationExtensions
{
    /// <summary>The list of key and parameter pairs.</summary>
    public const string Section = "CodyBatch:Aws:Secrets";

    /// <summary>
    /// Reads the listed parameters and adds their values; a missing or unreadable parameter stops the start with a sentence.
    /// <paramref name="credentials"/> replaces the SDK's default chain (the process's role) when given.
    /// </summary>
    public static IConfigurationManager AddSsmSecrets(this IConfigurationManager configuration, AWSCredentials? credentials = null)
    {
        var entries = configuration.GetSection(Section).GetChildren()
            .Select(c => (Path: c.Path, Key: c["Key"], Parameter: c["Parameter"]))
            .ToList();
        if (entries.Count == 0)
        {
            return configuration;
        }

        foreach (var entry in entries.Where(e => string.IsNullOrWhiteSpace(e.Key) || string.IsNullOrWhiteSpace(e.Parameter)))
        {
            throw new InvalidOperationException($"{entry.Path} must have both a Key (the setting to fill) and a Parameter (the SSM parameter name).");
        }

        var config = new AmazonSimpleSystemsManagementConfig();
        var region = configuration["CodyBatch:Aws:Region"];
        if (configuration["CodyBatch:Aws:SsmServiceUrl"] is { Length: > 0 } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (!string.IsNullOrEmpty(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        using var client = credentials is null ? new AmazonSimpleSystemsManagementClient(config) : new AmazonSimpleSystemsManagementClient(credentials, config);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);

        // GetParameters takes at most ten names a call.
        foreach (var chunk in entries.Select(e => e.Parameter!).Distinct(StringComparer.Ordinal).Chunk(10))
        {
            GetParametersResponse response;
            try
            {
                response = client.GetParametersAsync(new GetParametersRequest { Names = [.. chunk], WithDecryption = true }).GetAwaiter().GetResult();
            }
            catch (AmazonSimpleSystemsManagementException e)
            {
                throw new InvalidOperationException($"The secrets in SSM could not be read ({e.ErrorCode}): give this process's role ssm:GetParameters on {string.Join(", ", chunk)} ({Section}).", e);
            }

            if (response.InvalidParameters is { Count: > 0 } invalid)
            {
                throw new InvalidOperationException($"SSM has no parameter {string.Join(", ", invalid)} ({Section}); create it as a SecureString before deploying (see the README).");
            }

            foreach (var parameter in response.Parameters ?? [])
            {
                values[parameter.Name] = parameter.Value;
            }
        }

        configuration.AddInMemoryCollection(entries.Select(e => new KeyValuePair<string, string?>(e.Key!, values[e.Parameter!])));
        return configuration;
    }
}
