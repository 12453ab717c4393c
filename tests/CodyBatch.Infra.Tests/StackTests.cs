namespace CodyBatch.Infra.Tests;

[Collection(SynthesizedStackCollection.Name)]
public sealed class StackTests(SynthesizedStack stack)
{
    private readonly Template _template = stack.Template;

    private IEnumerable<JsonObject> Resources(string type) => stack.Resources(type);

    [Fact]
    public void The_jobs_table_has_point_in_time_recovery_a_stream_and_three_indexes_that_hold_only_what_their_queries_read()
    {
        _template.ResourceCountIs("AWS::DynamoDB::Table", 1);
        _template.HasResourceProperties("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["KeySchema"] = new object[]
            {
                new Dictionary<string, object> { ["AttributeName"] = "pk", ["KeyType"] = "HASH" },
                new Dictionary<string, object> { ["AttributeName"] = "sk", ["KeyType"] = "RANGE" },
            },
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
            ["StreamSpecification"] = new Dictionary<string, object> { ["StreamViewType"] = "NEW_AND_OLD_IMAGES" },
        });
        var table = Resources("AWS::DynamoDB::Table").Single();
        var indexes = table["Properties"]!["GlobalSecondaryIndexes"]!.AsArray().ToDictionary(i => i!["IndexName"]!.GetValue<string>(), i => i!["Projection"]!);
        Assert.Equal(["gsi1", "gsi2", "gsi3", "gsi4"], indexes.Keys);
        Assert.All(new[] { "gsi1", "gsi2" }, name =>
        {
            Assert.Equal("INCLUDE", indexes[name]["ProjectionType"]!.GetValue<string>());
            Assert.Equal(["search"], indexes[name]["NonKeyAttributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        });
        Assert.Equal("KEYS_ONLY", indexes["gsi3"]["ProjectionType"]!.GetValue<string>());
        Assert.Equal("KEYS_ONLY", indexes["gsi4"]["ProjectionType"]!.GetValue<string>());
        Assert.Equal("Retain", table["DeletionPolicy"]!.GetValue<string>());
    }

    [Fact]
    public void Buckets_are_private_encrypted_and_the_artifacts_expire()
    {
        var buckets = Resources("AWS::S3::Bucket").ToList();
        Assert.Equal(3, buckets.Count);
        Assert.All(buckets, bucket =>
        {
            var properties = bucket["Properties"]!;
            Assert.Equal("AES256", properties["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.GetValue<string>());
            var block = properties["PublicAccessBlockConfiguration"]!;
            Assert.True(block["BlockPublicAcls"]!.GetValue<bool>() && block["BlockPublicPolicy"]!.GetValue<bool>() && block["IgnorePublicAcls"]!.GetValue<bool>() && block["RestrictPublicBuckets"]!.GetValue<bool>());
        });
        var rules = buckets.SelectMany(b => b["Properties"]!["LifecycleConfiguration"]?["Rules"]!.AsArray() ?? []).ToList();
        Assert.Contains(rules, r => r!["ExpirationInDays"]?.GetValue<int>() == 180 && r["Prefix"]!.GetValue<string>() == "jobs/");
    }

    [Fact]
    public void Workers_run_on_batch_with_a_retry_strategy_and_the_worker_command()
    {
        var definition = Resources("AWS::Batch::JobDefinition").Single(d => d["Properties"]!["ContainerProperties"]!["Command"]![0]!.GetValue<string>() == "worker")["Properties"]!;
        Assert.Equal(3, definition["RetryStrategy"]!["Attempts"]!.GetValue<int>());
        Assert.Equal(["worker", "--job-id", "Ref::jobId"], definition["ContainerProperties"]!["Command"]!.AsArray().Select(c => c!.GetValue<string>()));
        var environment = definition["ContainerProperties"]!["Environment"]!.AsArray().Select(e => e!["Name"]!.GetValue<string>()).ToList();
        Assert.Contains("CodyBatch__Storage__Provider", environment);
        Assert.Equal(["GITHUB_TOKEN", "ANTHROPIC_API_KEY"], definition["ContainerProperties"]!["Secrets"]!.AsArray().Select(e => e!["Name"]!.GetValue<string>()).Order().Reverse());
    }

    [Fact]
    public void New_and_reopened_jobs_are_dispatched_from_the_table_stream_to_the_job_queue()
    {
        var pipe = Resources("AWS::Pipes::Pipe").Single()["Properties"]!;
        Assert.Contains("StreamArn", pipe["Source"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("JobQueue", pipe["Target"]!.ToJsonString(), StringComparison.Ordinal);
        var filters = pipe["SourceParameters"]!["FilterCriteria"]!["Filters"]!.AsArray().Select(f => f!["Pattern"]!.GetValue<string>()).ToList();
        Assert.Contains(filters, f => f.Contains("INSERT", StringComparison.Ordinal));
        Assert.Equal(3, filters.Count);
        Assert.Equal("$.dynamodb.NewImage.id.S", pipe["TargetParameters"]!["BatchJobParameters"]!["Parameters"]!["jobId"]!.GetValue<string>());
    }

    [Fact]
    public void The_api_is_the_same_image_on_lambda_with_workers_off_behind_cloudfront()
    {
        var function = Resources("AWS::Lambda::Function").Single(f => f["Properties"]!["PackageType"]?.GetValue<string>() == "Image")["Properties"]!;
        Assert.Equal(["serve", "--urls", "http://0.0.0.0:8080"], function["ImageConfig"]!["Command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("false", function["Environment"]!["Variables"]!["CodyBatch__Worker__Enabled"]!.GetValue<string>());
        Assert.Equal("0", function["Environment"]!["Variables"]!["DOTNET_TieredPGO"]!.GetValue<string>());
        Assert.Equal("false", function["Environment"]!["Variables"]!["DOTNET_hostBuilder__reloadConfigOnChange"]!.GetValue<string>());
        Assert.Equal("0", function["Environment"]!["Variables"]!["DOTNET_gcServer"]!.GetValue<string>());
        _template.ResourceCountIs("AWS::Lambda::Url", 1);
        _template.ResourceCountIs("AWS::CloudFront::Distribution", 1);
        _template.ResourceCountIs("Custom::CDKBucketDeployment", 1);
        var distribution = Resources("AWS::CloudFront::Distribution").Single()["Properties"]!["DistributionConfig"]!;
        Assert.Equal("/api/*", distribution["CacheBehaviors"]![0]!["PathPattern"]!.GetValue<string>());
    }

    [Fact]
    public void Log_groups_keep_a_month()
    {
        var groups = Resources("AWS::Logs::LogGroup").ToList();
        Assert.True(groups.Count >= 2);
        Assert.All(groups, g => Assert.Equal(30, g["Properties"]!["RetentionInDays"]!.GetValue<int>()));
    }

    [Fact]
    public void No_iam_statement_allows_every_action()
    {
        var statements = Resources("AWS::IAM::Policy").SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()).ToList();
        Assert.NotEmpty(statements);
        foreach (var statement in statements)
        {
            var actions = statement!["Action"] switch
            {
                JsonArray many => many.Select(a => a!.GetValue<string>()).ToList(),
                JsonNode one => [one.GetValue<string>()],
                _ => [],
            };
            Assert.DoesNotContain(actions, a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal));
        }
    }
}
