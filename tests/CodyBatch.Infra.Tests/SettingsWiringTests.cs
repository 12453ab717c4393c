namespace CodyBatch.Infra.Tests;

/// <summary>
/// Every setting reaches the parts that read it and no other: per setting, the set of parts (the API function, the worker,
/// the sweep, and the stack's helper functions) that get it as a variable, as a secret reference, or as a grant to read its
/// parameter or bucket is exactly the expected one.
/// </summary>
public sealed class SettingsWiringTests(ConfiguredStack stack) : IClassFixture<ConfiguredStack>
{
    private sealed record Part(string Name, Dictionary<string, string> Environment, Dictionary<string, string> Secrets, List<string> Roles);

    private List<Part> Parts()
    {
        var parts = new List<Part>();
        foreach (var (id, function) in stack.Named("AWS::Lambda::Function"))
        {
            var properties = function["Properties"]!;
            var environment = (properties["Environment"]?["Variables"]?.AsObject() ?? []).ToDictionary(v => v.Key, v => v.Value!.ToJsonString().Trim('"'));

            // The API reads its secrets at start from the parameters listed as CodyBatch__Aws__Secrets__N__{Key,Parameter}.
            var secrets = environment.Keys.Where(k => k.StartsWith("CodyBatch__Aws__Secrets__", StringComparison.Ordinal) && k.EndsWith("__Key", StringComparison.Ordinal))
                .ToDictionary(k => environment[k], k => environment[k[..^"Key".Length] + "Parameter"]);
            var isApi = properties["PackageType"]?.GetValue<string>() == "Image";
            parts.Add(new Part(isApi ? "api" : id, environment, secrets, [SynthesizedStack.Target(properties["Role"])!]));
        }

        foreach (var (_, definition) in stack.Named("AWS::Batch::JobDefinition"))
        {
            var container = definition["Properties"]!["ContainerProperties"]!;
            var environment = (container["Environment"]?.AsArray() ?? []).ToDictionary(e => e!["Name"]!.GetValue<string>(), e => e!["Value"]!.ToJsonString().Trim('"'));
            var secrets = (container["Secrets"]?.AsArray() ?? []).ToDictionary(s => s!["Name"]!.GetValue<string>(), s => s!["ValueFrom"]!.ToJsonString());
            var roles = new[] { "ExecutionRoleArn", "JobRoleArn" }.Select(r => SynthesizedStack.Target(container[r])).OfType<string>().ToList();
            parts.Add(new Part(container["Command"]![0]!.GetValue<string>(), environment, secrets, roles));
        }

        return parts;
    }

    private bool MayRead(Part part, string parameter) => part.Roles.Any(role => Policies.StatementsOf(stack, role)
        .Where(s => Policies.Actions(s).Any(a => a.StartsWith("ssm:GetParameter", StringComparison.Ordinal)))
        .SelectMany(Policies.Resources)
        .Any(r => r.Contains($"parameter{parameter}\"", StringComparison.Ordinal)));

    private static bool References(string secret, string parameter) =>
        secret == parameter || secret.Contains($"parameter{parameter}\"", StringComparison.Ordinal);

    private void AssertOnly(string setting, string[] expected, Func<Part, bool> has)
    {
        var parts = Parts();
        Assert.Contains(parts, p => p.Name == "api");
        var holders = parts.Where(has).Select(p => p.Name).Order().ToList();
        Assert.True(expected.Order().SequenceEqual(holders), $"{setting}: expected [{string.Join(", ", expected)}], found [{string.Join(", ", holders)}]");
    }

    [Fact]
    public void Telemetry_to_CloudWatch_reaches_every_process_that_runs_codybatch_with_the_regions_endpoints_and_headers_from_ssm()
    {
        string[] processes = ["api", "sweep", "worker"];

        AssertOnly("traces endpoint", processes, p => p.Environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "https://xray.eu-west-1.amazonaws.com/v1/traces");
        AssertOnly("metrics endpoint", processes, p => p.Environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") == "https://monitoring.eu-west-1.amazonaws.com/v1/metrics");
        foreach (var (variable, parameter) in (IEnumerable<(string, string)>)[("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "/codybatch/otlp-traces-headers"), ("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "/codybatch/otlp-metrics-headers")])
        {
            AssertOnly($"{variable} reference", processes, p => p.Secrets.TryGetValue(variable, out var secret) && References(secret, parameter));
            AssertOnly($"{variable} grant", processes, p => MayRead(p, parameter));
            AssertOnly($"{variable} in clear", [], p => p.Environment.ContainsKey(variable));
        }
    }

    [Fact]
    public void The_webhook_secret_is_read_by_the_api_only()
    {
        const string Parameter = "/codybatch/github-webhook-secret";

        AssertOnly("webhook secret reference", ["api"], p => p.Secrets.Any(s => References(s.Value, Parameter)));
        AssertOnly("webhook secret grant", ["api"], p => MayRead(p, Parameter));
        var api = Parts().Single(p => p.Name == "api");
        Assert.Equal(Parameter, api.Secrets["CodyBatch:GitHub:WebhookSecret"]);
    }

    [Fact]
    public void The_notification_settings_reach_the_parts_that_end_jobs_the_api_the_worker_and_the_sweep()
    {
        string[] enders = ["api", "sweep", "worker"];

        AssertOnly("notification address", enders, p => p.Environment.GetValueOrDefault("CodyBatch__Notifications__WebhookUrl") == ConfiguredStack.NotificationUrl);
        AssertOnly("signing secret reference", enders, p => p.Secrets.Any(s => References(s.Value, ConfiguredStack.SigningParameter)));
        AssertOnly("signing secret grant", enders, p => MayRead(p, ConfiguredStack.SigningParameter));
        AssertOnly("slack address reference", enders, p => p.Secrets.Any(s => References(s.Value, ConfiguredStack.SlackParameter)));
        AssertOnly("slack address grant", enders, p => MayRead(p, ConfiguredStack.SlackParameter));
        var worker = Parts().Single(p => p.Name == "worker");
        Assert.True(References(worker.Secrets["CodyBatch__Notifications__SigningSecret"], ConfiguredStack.SigningParameter));
        Assert.True(References(worker.Secrets["CodyBatch__Notifications__SlackWebhookUrl"], ConfiguredStack.SlackParameter));
        var api = Parts().Single(p => p.Name == "api");
        Assert.Equal(ConfiguredStack.SigningParameter, api.Secrets["CodyBatch:Notifications:SigningSecret"]);
    }

    [Fact]
    public void The_registries_allow_list_and_the_private_registries_reach_the_workers_only()
    {
        AssertOnly("registries allow-list", ["worker"], p => p.Environment.Keys.Any(k => k.StartsWith("CodyBatch__Egress__AllowedDomains__", StringComparison.Ordinal)));
        AssertOnly("private registry", ["worker"], p => p.Environment.Keys.Any(k => k.StartsWith("CodyBatch__Egress__PrivateRegistries__", StringComparison.Ordinal)));
        AssertOnly("private registry token reference", ["worker"], p => p.Secrets.Any(s => References(s.Value, ConfiguredStack.RegistryTokenParameter)));
        AssertOnly("private registry token grant", ["worker"], p => MayRead(p, ConfiguredStack.RegistryTokenParameter));

        var worker = Parts().Single(p => p.Name == "worker");
        Assert.Equal(["registry.npmjs.org", "pypi.org", "files.pythonhosted.org"], Enumerable.Range(0, 3).Select(i => worker.Environment[$"CodyBatch__Egress__AllowedDomains__{i}"]));
        Assert.Equal("https://npm.internal.example.com/", worker.Environment["CodyBatch__Egress__PrivateRegistries__0__Url"]);
        Assert.Equal("npm", worker.Environment["CodyBatch__Egress__PrivateRegistries__0__Ecosystem"]);
        Assert.True(References(worker.Secrets["CodyBatch__Egress__PrivateRegistries__0__Token"], ConfiguredStack.RegistryTokenParameter));
    }

    [Fact]
    public void The_dependency_cache_bucket_reaches_the_workers_only()
    {
        var bucketId = stack.Named("AWS::S3::Bucket").Single(b => b.Id.StartsWith("DependencyCaches", StringComparison.Ordinal)).Id;

        AssertOnly("cache bucket setting", ["worker"], p => p.Environment.Keys.Any(k => k.StartsWith("CodyBatch__Aws__Caches__", StringComparison.Ordinal)));
        AssertOnly("cache bucket grant", ["worker"], p => p.Roles.Any(role => Policies.StatementsOf(stack, role)
            .Where(s => Policies.Actions(s).Any(a => a.StartsWith("s3:PutObject", StringComparison.Ordinal) || a.StartsWith("s3:GetObject", StringComparison.Ordinal)))
            .SelectMany(Policies.Resources)
            .Any(r => r.Contains($"\"{bucketId}\"", StringComparison.Ordinal))));
        var worker = Parts().Single(p => p.Name == "worker");
        Assert.Equal("7.00:00:00", worker.Environment["CodyBatch__Aws__Caches__Expiry"]);
    }

    [Fact]
    public void No_plain_variable_of_any_part_carries_a_secret()
    {
        string[] secretSuffixes = ["SigningSecret", "SlackWebhookUrl", "Token", "WebhookSecret", "ApiKey", "API_KEY", "TOKEN"];
        var parts = Parts();

        Assert.All(parts, part => Assert.DoesNotContain(part.Environment, v =>
            secretSuffixes.Any(s => v.Key.EndsWith(s, StringComparison.Ordinal)) || v.Value.Contains("resolve:ssm-secure", StringComparison.Ordinal)));
        Assert.Contains(parts.Single(p => p.Name == "worker").Secrets.Keys, k => k.EndsWith("Token", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cache_bucket_expires_what_the_workers_would_no_longer_restore()
    {
        var bucket = stack.Named("AWS::S3::Bucket").Single(b => b.Id.StartsWith("DependencyCaches", StringComparison.Ordinal)).Resource["Properties"]!;
        var rules = bucket["LifecycleConfiguration"]!["Rules"]!.AsArray();

        var expiry = rules.Single(r => r!["Id"]!.GetValue<string>() == "expire-caches")!;
        Assert.Equal(8, expiry["ExpirationInDays"]!.GetValue<int>());
        Assert.Equal("caches/", expiry["Prefix"]!.GetValue<string>());
        Assert.Contains(rules, r => r!["AbortIncompleteMultipartUpload"]?["DaysAfterInitiation"]?.GetValue<int>() == 1);
        Assert.Equal("AES256", bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.GetValue<string>());
    }
}
