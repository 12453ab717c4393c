namespace CodyBatch.Infra.Tests;

/// <summary>Schedules on AWS: EventBridge Scheduler invokes the API function every minute; no loop runs in the function.</summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class ScheduleTriggerTests(SynthesizedStack stack)
{
    private IEnumerable<(string Id, JsonObject Resource)> Resources(string type) =>
        stack.Json["Resources"]!.AsObject().Where(r => r.Value!["Type"]!.GetValue<string>() == type).Select(r => (r.Key, r.Value!.AsObject()));

    private string ApiFunctionId => Resources("AWS::Lambda::Function").Single(f => f.Resource["Properties"]!["Environment"]?["Variables"]?["AWS_LWA_PORT"] is not null).Id;

    [Fact]
    public void One_scheduler_schedule_invokes_the_api_function_every_minute_without_retries()
    {
        stack.Template.ResourceCountIs("AWS::Scheduler::Schedule", 1);
        var properties = Resources("AWS::Scheduler::Schedule").Single().Resource["Properties"]!;

        Assert.Equal("rate(1 minute)", properties["ScheduleExpression"]!.GetValue<string>());
        Assert.Equal("ENABLED", properties["State"]!.GetValue<string>());
        Assert.Equal("OFF", properties["FlexibleTimeWindow"]!["Mode"]!.GetValue<string>());
        var target = properties["Target"]!;
        Assert.Equal(ApiFunctionId, target["Arn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("Arn", target["Arn"]!["Fn::GetAtt"]![1]!.GetValue<string>());
        Assert.Equal(0, target["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<int>());
        Assert.Equal("codybatch.schedules", JsonNode.Parse(target["Input"]!.GetValue<string>())!["source"]!.GetValue<string>());
    }

    [Fact]
    public void The_schedule_role_is_assumed_by_the_scheduler_and_may_only_invoke_the_api_function()
    {
        var roleId = Resources("AWS::Scheduler::Schedule").Single().Resource["Properties"]!["Target"]!["RoleArn"]!["Fn::GetAtt"]![0]!.GetValue<string>();
        var role = stack.Json["Resources"]![roleId]!["Properties"]!;
        Assert.Equal("scheduler.amazonaws.com", role["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]!.GetValue<string>());

        var policy = Resources("AWS::IAM::Policy").Single(p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => r!["Ref"]?.GetValue<string>() == roleId)).Resource["Properties"]!;
        var statement = Assert.Single(policy["PolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("lambda:InvokeFunction", statement["Action"]!.GetValue<string>());
        Assert.All(statement["Resource"]!.AsArray(), resource => Assert.Contains(ApiFunctionId, resource!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public void The_api_function_passes_the_event_to_the_schedules_route_and_runs_no_schedule_loop()
    {
        var variables = stack.Json["Resources"]![ApiFunctionId]!["Properties"]!["Environment"]!["Variables"]!;

        Assert.Equal("/events/schedules", variables["AWS_LWA_PASS_THROUGH_PATH"]!.GetValue<string>());
        Assert.Equal("false", variables["CodyBatch__Schedules__Loop"]!.GetValue<string>());

        // Only the adapter's pass-through of the scheduler's invocation goes without an API key.
        Assert.Equal("true", variables["CodyBatch__Schedules__LambdaPassThrough"]!.GetValue<string>());
    }
}
