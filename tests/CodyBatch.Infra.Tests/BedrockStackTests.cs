namespace CodyBatch.Infra.Tests;

/// <summary>With <c>codybatch:agentProvider=Bedrock</c> the worker's task role calls the configured models; no Anthropic key exists.</summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class BedrockStackTests(BedrockStack stack)
{
    private JsonNode Worker => stack.Resources("AWS::Batch::JobDefinition").Single(d => d["Properties"]!["ContainerProperties"]!["Command"]![0]!.GetValue<string>() == "worker")["Properties"]!["ContainerProperties"]!;

    [Fact]
    public void The_worker_role_may_stream_from_the_configured_models_only()
    {
        var role = SynthesizedStack.Target(Worker["JobRoleArn"])!;
        var statements = Policies.StatementsOf(stack, role).Where(s => Policies.Actions(s).Any(a => a.StartsWith("bedrock:", StringComparison.Ordinal))).ToList();

        var statement = Assert.Single(statements);
        Assert.Equal(["bedrock:InvokeModelWithResponseStream"], Policies.Actions(statement));
        var resources = Policies.Resources(statement);
        Assert.Equal(3, resources.Count);
        Assert.Contains(resources, r => r.Contains($":inference-profile/{BedrockStack.BedrockModel}", StringComparison.Ordinal));
        Assert.Contains(resources, r => r.Contains(":bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0", StringComparison.Ordinal));
        Assert.Contains(resources, r => r.Contains(":bedrock:eu-west-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0", StringComparison.Ordinal));
        Assert.DoesNotContain(resources, r => r.Contains('*', StringComparison.Ordinal) && !r.Contains("foundation-model/anthropic.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_worker_is_told_the_provider_region_and_model_mapping_and_gets_no_anthropic_key()
    {
        var environment = Worker["Environment"]!.AsArray().ToDictionary(e => e!["Name"]!.GetValue<string>(), e => e!["Value"]!.ToJsonString());

        Assert.Equal("\"Bedrock\"", environment["CodyBatch__Agent__Provider"]);
        Assert.Equal("\"eu-west-1\"", environment["CodyBatch__Agent__Bedrock__Region"]);
        Assert.Equal($"\"{BedrockStack.BedrockModel}\"", environment[$"CodyBatch__Agent__Bedrock__Models__{BedrockStack.Model}"]);
        Assert.Equal(["GITHUB_TOKEN"], Worker["Secrets"]!.AsArray().Select(s => s!["Name"]!.GetValue<string>()));
        Assert.DoesNotContain("anthropic-api-key", stack.Json.ToJsonString(), StringComparison.Ordinal);
    }
}

/// <summary>The API function under Bedrock: the model mapping for the model list, and only ListFoundationModels.</summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class BedrockApiStackTests(BedrockStack stack)
{
    [Fact]
    public void The_api_reads_bedrocks_model_list_under_the_same_mapping_and_may_call_no_model()
    {
        var api = stack.Resources("AWS::Lambda::Function").Single(f => f["Properties"]!["PackageType"]?.GetValue<string>() == "Image");
        var variables = api["Properties"]!["Environment"]!["Variables"]!;
        Assert.Equal("Bedrock", variables["CodyBatch__Agent__Provider"]!.GetValue<string>());
        Assert.Equal("eu-west-1", variables["CodyBatch__Agent__Bedrock__Region"]!.GetValue<string>());
        Assert.Equal(BedrockStack.BedrockModel, variables[$"CodyBatch__Agent__Bedrock__Models__{BedrockStack.Model}"]!.GetValue<string>());

        var role = SynthesizedStack.Target(api["Properties"]!["Role"])!;
        var statement = Assert.Single(Policies.StatementsOf(stack, role), s => Policies.Actions(s).Any(a => a.StartsWith("bedrock:", StringComparison.Ordinal)));
        Assert.Equal(["bedrock:ListFoundationModels"], Policies.Actions(statement));
        Assert.Equal(["\"*\""], Policies.Resources(statement));
    }
}

/// <summary>With the Anthropic provider nothing may call Bedrock.</summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class AnthropicStackTests(SynthesizedStack stack)
{
    [Fact]
    public void No_role_may_call_bedrock() =>
        Assert.DoesNotContain(
            stack.Resources("AWS::IAM::Policy").SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()).SelectMany(s => Policies.Actions(s!)),
            a => a.StartsWith("bedrock:", StringComparison.Ordinal));
}
