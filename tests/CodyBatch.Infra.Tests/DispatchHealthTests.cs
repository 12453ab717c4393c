namespace CodyBatch.Infra.Tests;

/// <summary>A lost dispatch is noticed and repaired: a dead-letter queue, alarms, and the reconciler's schedule.</summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class DispatchHealthTests(SynthesizedStack stack)
{
    private string QueueId => stack.Named("AWS::SQS::Queue").Single().Id;

    private string TopicId => stack.Named("AWS::SNS::Topic").Single().Id;

    [Fact]
    public void Records_the_pipe_cannot_deliver_go_to_a_dead_letter_queue_after_bounded_retries()
    {
        var source = stack.Resources("AWS::Pipes::Pipe").Single()["Properties"]!["SourceParameters"]!["DynamoDBStreamParameters"]!;

        Assert.Equal(QueueId, SynthesizedStack.Target(source["DeadLetterConfig"]!["Arn"]));
        Assert.Equal(10, source["MaximumRetryAttempts"]!.GetValue<int>());
        Assert.Equal(3600, source["MaximumRecordAgeInSeconds"]!.GetValue<int>());
    }

    [Fact]
    public void Alarms_on_dead_letters_pipe_failures_and_sweep_failures_notify_the_alarm_topic()
    {
        var alarms = stack.Resources("AWS::CloudWatch::Alarm").Select(a => a["Properties"]!).ToList();

        Assert.Contains(alarms, a => a["MetricName"]!.GetValue<string>() == "ApproximateNumberOfMessagesVisible"
            && SynthesizedStack.Target(a["Dimensions"]![0]!["Value"]) == QueueId);
        Assert.Contains(alarms, a => a["Namespace"]!.GetValue<string>() == "AWS/EventBridge/Pipes" && a["MetricName"]!.GetValue<string>() == "ExecutionFailed");
        Assert.Contains(alarms, a => a["Namespace"]!.GetValue<string>() == "AWS/EventBridge/Pipes" && a["MetricName"]!.GetValue<string>() == "TargetStageFailed");
        Assert.Contains(alarms, a => a["Namespace"]!.GetValue<string>() == "AWS/Events" && a["MetricName"]!.GetValue<string>() == "FailedInvocations");
        Assert.All(alarms, a =>
        {
            Assert.Equal(TopicId, SynthesizedStack.Target(a["AlarmActions"]![0]));
            Assert.Equal("notBreaching", a["TreatMissingData"]!.GetValue<string>());
        });
    }

    [Fact]
    public void Every_five_minutes_the_reconciler_submits_a_sweep_job_to_its_fargate_queue()
    {
        var rule = stack.Resources("AWS::Events::Rule").Single()["Properties"]!;
        var target = rule["Targets"]!.AsArray().Single()!;
        var sweep = stack.Named("AWS::Batch::JobDefinition").Single(d => d.Resource["Properties"]!["ContainerProperties"]!["Command"]![0]!.GetValue<string>() == "sweep");

        Assert.Equal("rate(5 minutes)", rule["ScheduleExpression"]!.GetValue<string>());
        Assert.Equal("ENABLED", rule["State"]!.GetValue<string>());
        var queue = stack.Named("AWS::Batch::JobQueue").Single(q => q.Id == SynthesizedStack.Target(target["Arn"]));
        var compute = SynthesizedStack.Target(queue.Resource["Properties"]!["ComputeEnvironmentOrder"]![0]!["ComputeEnvironment"])!;
        Assert.Equal("FARGATE", stack.Json["Resources"]![compute]!["Properties"]!["ComputeResources"]!["Type"]!.GetValue<string>());
        Assert.Equal(sweep.Id, SynthesizedStack.Target(target["BatchParameters"]!["JobDefinition"]));
        Assert.Equal(["sweep"], sweep.Resource["Properties"]!["ContainerProperties"]!["Command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(QueueId, SynthesizedStack.Target(target["DeadLetterConfig"]!["Arn"]));
        var eventsRole = SynthesizedStack.Target(target["RoleArn"])!;
        Assert.Contains("batch:SubmitJob", Policies.StatementsOf(stack, eventsRole).SelectMany(Policies.Actions));
    }

    [Fact]
    public void The_sweep_may_use_the_table_and_nothing_else()
    {
        var sweep = stack.Resources("AWS::Batch::JobDefinition").Single(d => d["Properties"]!["ContainerProperties"]!["Command"]![0]!.GetValue<string>() == "sweep")["Properties"]!;
        var role = SynthesizedStack.Target(sweep["ContainerProperties"]!["JobRoleArn"])!;

        var actions = Policies.StatementsOf(stack, role).SelectMany(Policies.Actions).ToList();

        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.StartsWith("dynamodb:", a, StringComparison.Ordinal));
    }
}
