using System.Text.RegularExpressions;

namespace CodyBatch.Infra.Tests;

/// <summary>What the first <c>cdk deploy</c> needs: resources in an order CloudFormation can create, supported runtimes, one image for x86_64.</summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed partial class DeployTests(SynthesizedStack stack)
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
        var sweep = definitions.Single(d => d["Properties"]!["ContainerProperties"]!["Command"]![0]!.GetValue<string>() == "sweep");
        var platform = sweep["Properties"]!["ContainerProperties"]!["RuntimePlatform"]!;
        Assert.Equal("X86_64", platform["CpuArchitecture"]!.GetValue<string>());
        Assert.Equal("LINUX", platform["OperatingSystemFamily"]!.GetValue<string>());

        // The workers' instance types are x86_64 ones (m6i, the Intel general-purpose family).
        var compute = stack.Resources("AWS::Batch::ComputeEnvironment").Single(c => c["Properties"]!["ComputeResources"]!["Type"]!.GetValue<string>() == "EC2");
        Assert.All(compute["Properties"]!["ComputeResources"]!["InstanceTypes"]!.AsArray(), t => Assert.StartsWith("m6i.", t!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_prebuilt_image_the_api_and_worker_images_are_built_for_linux_amd64_from_their_dockerfile_targets()
    {
        using var output = new TempDirectory("codybatch-cdk-assets");
        var app = new App(new AppProps { Outdir = output.Path });
        _ = new CodyBatchStack(app, "CodyBatch", new StackProps { Env = new Amazon.CDK.Environment { Account = "123456789012", Region = "eu-west-1" } });

        app.Synth();

        var assets = JsonNode.Parse(File.ReadAllText(Path.Combine(output.Path, "CodyBatch.assets.json")))!;
        var images = assets["dockerImages"]!.AsObject().ToDictionary(i => i.Value!["source"]!["dockerBuildTarget"]!.GetValue<string>(), i => i.Key);
        Assert.Equal(["api", "worker"], images.Keys.Order());
        Assert.All(assets["dockerImages"]!.AsObject(), image => Assert.Equal("linux/amd64", image.Value!["source"]!["platform"]!.GetValue<string>()));
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(output.Path, "CodyBatch.template.json")))!;
        string ImageOf(string command) => template["Resources"]!.AsObject()
            .Single(r => r.Value!["Type"]!.GetValue<string>() == "AWS::Batch::JobDefinition" && r.Value["Properties"]!["ContainerProperties"]!["Command"]![0]!.GetValue<string>() == command)
            .Value!["Properties"]!["ContainerProperties"]!["Image"]!.ToJsonString();
        Assert.Contains(images["worker"], ImageOf("worker"), StringComparison.Ordinal);
        Assert.Contains(images["api"], ImageOf("sweep"), StringComparison.Ordinal);
        var api = template["Resources"]!.AsObject().Single(r => r.Value!["Properties"]?["PackageType"]?.GetValue<string>() == "Image").Value!;
        Assert.Contains(images["api"], api["Properties"]!["Code"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_dockerfile_builds_for_linux_amd64_the_api_image_runs_as_a_user_other_than_root_and_the_worker_image_has_bubblewrap()
    {
        var lines = File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot(), "Dockerfile"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.NotEmpty(froms);
        Assert.All(froms, from => Assert.Contains("--platform=linux/amd64", from, StringComparison.Ordinal));
        List<string> Stage(string name)
        {
            var start = lines.IndexOf(froms.Single(f => f.EndsWith($" AS {name}", StringComparison.Ordinal))) + 1;
            var next = froms.Select(f => lines.IndexOf(f)).Where(i => i >= start).DefaultIfEmpty(lines.Count).Min();
            return lines[start..next];
        }

        Assert.EndsWith(" AS api", froms[^1], StringComparison.Ordinal);
        var api = Stage("api");
        var user = api.LastOrDefault(l => l.StartsWith("USER ", StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(user);
        Assert.DoesNotMatch(RootUser(), user["USER ".Length..].Trim());
        Assert.True(api.IndexOf(user) < api.FindIndex(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)), "USER comes before the entry point");
        var worker = string.Join('\n', Stage("worker"));
        Assert.Contains("bubblewrap", worker, StringComparison.Ordinal);
        Assert.Contains("socat", worker, StringComparison.Ordinal);
    }

    [GeneratedRegex("^(root|0)(:.*)?$")]
    private static partial Regex RootUser();
}
