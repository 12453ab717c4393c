namespace CodyBatch.Infra.Tests;

/// <summary>Secrets stay in SSM: no environment variable carries one, and each role may read only the ones it uses.</summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class SecretsTests(SynthesizedStack stack)
{
    private static readonly string[] SecretNames = ["GITHUB_TOKEN", "ANTHROPIC_API_KEY", "CodyBatch__ApiKeys"];

    private IEnumerable<(string Where, string Name, JsonNode Value)> EnvironmentVariables()
    {
        foreach (var (id, function) in stack.Named("AWS::Lambda::Function"))
        {
            foreach (var (name, value) in function["Properties"]!["Environment"]?["Variables"]?.AsObject() ?? [])
            {
                yield return (id, name, value!);
            }
        }

        foreach (var (id, definition) in stack.Named("AWS::Batch::JobDefinition"))
        {
            foreach (var variable in definition["Properties"]!["ContainerProperties"]!["Environment"]?.AsArray() ?? [])
            {
                yield return (id, variable!["Name"]!.GetValue<string>(), variable["Value"]!);
            }
        }
    }

    [Fact]
    public void No_environment_variable_holds_a_secret_a_secret_parameter_or_a_reference_to_one()
    {
        var parameters = stack.Json["Parameters"]?.AsObject().Select(p => p.Key).ToHashSet() ?? [];
        var variables = EnvironmentVariables().ToList();

        Assert.NotEmpty(variables);
        Assert.Empty(stack.Json["Parameters"]?.AsObject().Where(p => p.Value!["NoEcho"] is not null) ?? []);
        Assert.All(variables, v =>
        {
            Assert.DoesNotContain(SecretNames, secret => v.Name.StartsWith(secret, StringComparison.Ordinal));
            var text = v.Value.ToJsonString();
            Assert.DoesNotContain("resolve:ssm-secure", text, StringComparison.Ordinal);
            Assert.DoesNotContain("resolve:secretsmanager", text, StringComparison.Ordinal);
            Assert.DoesNotContain(parameters, p => text.Contains($"\"Ref\":\"{p}\"", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void The_worker_gets_its_secrets_from_ssm_at_container_start_and_the_sweep_gets_none()
    {
        var worker = Definition("worker");
        var sweep = Definition("sweep");

        var secrets = worker["ContainerProperties"]!["Secrets"]!.AsArray().ToDictionary(s => s!["Name"]!.GetValue<string>(), s => s!["ValueFrom"]!.ToJsonString());
        Assert.Equal(["ANTHROPIC_API_KEY", "GITHUB_TOKEN"], secrets.Keys.Order());
        Assert.Contains(":parameter/codybatch/github-token", secrets["GITHUB_TOKEN"], StringComparison.Ordinal);
        Assert.Contains(":parameter/codybatch/anthropic-api-key", secrets["ANTHROPIC_API_KEY"], StringComparison.Ordinal);
        Assert.Null(sweep["ContainerProperties"]!["Secrets"]);
    }

    [Fact]
    public void Each_role_may_read_only_the_secrets_it_uses()
    {
        var api = stack.Resources("AWS::Lambda::Function").Single(f => f["Properties"]!["PackageType"]?.GetValue<string>() == "Image");
        var apiRole = SynthesizedStack.Target(api["Properties"]!["Role"])!;
        var workerExecution = SynthesizedStack.Target(Definition("worker")["ContainerProperties"]!["ExecutionRoleArn"])!;
        var workerJob = SynthesizedStack.Target(Definition("worker")["ContainerProperties"]!["JobRoleArn"])!;
        var sweepRoles = new[] { "ExecutionRoleArn", "JobRoleArn" }.Select(r => SynthesizedStack.Target(Definition("sweep")["ContainerProperties"]![r])).OfType<string>();

        Assert.Equal(["api-key", "github-token", "github-webhook-secret"], ReadableParameters(apiRole));
        Assert.Equal(["anthropic-api-key", "github-token"], ReadableParameters(workerExecution));
        Assert.Empty(ReadableParameters(workerJob));
        Assert.All(sweepRoles, role => Assert.Empty(ReadableParameters(role)));
        var variables = api["Properties"]!["Environment"]!["Variables"]!;
        Assert.Equal("/codybatch/github-token", variables["CodyBatch__Aws__Secrets__0__Parameter"]!.GetValue<string>());
        Assert.Equal("CodyBatch:ApiKeys:0", variables["CodyBatch__Aws__Secrets__1__Key"]!.GetValue<string>());
    }

    private JsonNode Definition(string command) =>
        stack.Resources("AWS::Batch::JobDefinition").Single(d => d["Properties"]!["ContainerProperties"]!["Command"]![0]!.GetValue<string>() == command)["Properties"]!;

    private List<string> ReadableParameters(string roleId) =>
    [
        .. Policies.StatementsOf(stack, roleId)
            .Where(s => Policies.Actions(s).Any(a => a.StartsWith("ssm:GetParameter", StringComparison.Ordinal)))
            .SelectMany(Policies.Resources)
            .Select(r => r[(r.LastIndexOf("/codybatch/", StringComparison.Ordinal) + "/codybatch/".Length)..].TrimEnd('"', ']', '}'))
            .Distinct()
            .Order(),
    ];
}
