using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.CDK;
using CodyBatch.Testing;

namespace CodyBatch.Infra.Tests;

/// <summary>What the first <c>cdk deploy</c> needs: resources in an order CloudFormation can create, supported runtimes, one image for x86_64.</summary>
public sealed partial class DeployTests(SynthesizedStack stack) : IClassFixture<SynthesizedStack>
{
    [Fact]
    public void The_pipe_is_created_after_the_policy_that_lets_its_role_read_the_stream_and_submit_jobs()
    {
        var pipe = stack.Resources("AWS::Pipes::Pipe").Single();
        var roleId = SynthesizedStack.Target(pipe["Properties"]!["RoleArn"])!;
        var policies = stack.Named("AWS::IAM::Policy")
            .Where(p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => SynthesizedStack.Target(r) == roleId))
            .Select(p => p.Id)
            .ToList();

        var dependsOn = pipe["DependsOn"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();

        Assert.NotEmpty(policies);
        Assert.All(policies, policy => Assert.Contains(policy, dependsOn));
        var actions = Policies.StatementsOf(stack, roleId).SelectMany(Policies.Actions).ToList();
        Assert.Contains("batch:SubmitJob", actions);
        Assert.Contains("dynamodb:GetRecords", actions);
        Assert.Contains("sqs:SendMessage", actions);
    }

    [Fact]
    public void Every_helper_function_runs_on_a_runtime_lambda_still_supports()
    {
        string[] supported = ["nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "python3.14"];
        var runtimes = stack.Resources("AWS::Lambda::Function")
            .Where(f => f["Properties"]!["PackageType"] is null)
            .Select(f => f["Properties"]!["Runtime"]!.GetValue<string>())
            .ToList();

        Assert.NotEmpty(runtimes);
        Assert.All(runtimes, runtime => Assert.Contains(runtime, supported));
    }

    [Fact]
    public void Every_compute_runs_x86_64_linux()
    {
        var api = stack.Resources("AWS::Lambda::Function").Single(f => f["Properties"]!["PackageType"]?.GetValue<string>() == "Image");
        Assert.Equal(["x86_64"], api["Properties"]!["Architectures"]!.AsArray().Select(a => a!.GetValue<string>()));
        var definitions = stack.Resources("AWS::Batch::JobDefinition").ToList();
        Assert.Equal(2, definitions.Count);
        Assert.All(definitions, d =>
        {
            var platform = d["Properties"]!["ContainerProperties"]!["RuntimePlatform"]!;
            Assert.Equal("X86_64", platform["CpuArchitecture"]!.GetValue<string>());
            Assert.Equal("LINUX", platform["OperatingSystemFamily"]!.GetValue<string>());
        });
    }

    [Fact]
    public void Without_a_prebuilt_image_one_linux_amd64_image_is_built_for_every_role()
    {
        using var output = new TempDirectory("codybatch-cdk-assets");
        var app = new App(new AppProps { Outdir = output.Path });
        _ = new CodyBatchStack(app, "CodyBatch", new StackProps { Env = new Amazon.CDK.Environment { Account = "123456789012", Region = "eu-west-1" } });

        app.Synth();

        var assets = JsonNode.Parse(File.ReadAllText(Path.Combine(output.Path, "CodyBatch.assets.json")))!;
        var images = assets["dockerImages"]!.AsObject();
        var image = Assert.Single(images);
        Assert.Equal("linux/amd64", image.Value!["source"]!["platform"]!.GetValue<string>());
        var template = File.ReadAllText(Path.Combine(output.Path, "CodyBatch.template.json"));
        var uses = Regex.Matches(template, Regex.Escape(image.Key)).Count;
        Assert.True(uses >= 3, $"the API, the worker and the sweep use the one image ({uses} references)");
    }

    [Fact]
    public void The_dockerfile_builds_for_linux_amd64_and_runs_as_a_user_other_than_root()
    {
        var lines = File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot(), "Dockerfile"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.NotEmpty(froms);
        Assert.All(froms, from => Assert.Contains("--platform=linux/amd64", from, StringComparison.Ordinal));
        var finalStage = lines.Skip(lines.IndexOf(froms[^1]) + 1).ToList();
        var user = finalStage.LastOrDefault(l => l.StartsWith("USER ", StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(user);
        Assert.DoesNotMatch(RootUser(), user["USER ".Length..].Trim());
        Assert.True(finalStage.IndexOf(user) < finalStage.FindIndex(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)), "USER comes before the entry point");
    }

    [GeneratedRegex("^(root|0)(:.*)?$")]
    private static partial Regex RootUser();
}
