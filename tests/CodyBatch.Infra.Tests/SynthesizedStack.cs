using Amazon.CDK;
using Amazon.CDK.Assertions;
using CodyBatch.Infra;

namespace CodyBatch.Infra.Tests;

/// <summary>The stack synthesized once, offline, with a prebuilt image so no Docker build is needed.</summary>
public sealed class SynthesizedStack
{
    public SynthesizedStack()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1");
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object>
            {
                [CodyBatchStack.EcrRepositoryContext] = "codybatch",
                [CodyBatchStack.ImageTagContext] = "test",
            },
        });
        var stack = new CodyBatchStack(app, "CodyBatch", new StackProps { Env = new Amazon.CDK.Environment { Account = "123456789012", Region = "eu-west-1" } });
        Template = Template.FromStack(stack);
        Json = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Template.ToJSON()))!.AsObject();
    }

    public Template Template { get; }

    /// <summary>The template as JSON, for checks the assertion helpers do not express.</summary>
    public System.Text.Json.Nodes.JsonObject Json { get; }
}
