using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Scheduler;
using Constructs;

namespace CodyBatch.Infra;

/// <summary>
/// Keeps Cody Batch's schedules on AWS without a loop in the API function: an EventBridge
/// Scheduler schedule invokes the API function once a minute; the Lambda Web Adapter passes
/// that event to <c>POST /events/schedules</c>, which starts the firings that are due (claimed
/// with a conditional write, so an overlapping invocation starts nothing twice) and returns.
/// The in-process loop is turned off in the function.
/// </summary>
public sealed class ScheduleTrigger : Construct
{
    /// <summary>How often the API function looks for due firings.</summary>
    public const string Rate = "rate(1 minute)";

    /// <summary>Where the adapter passes non-HTTP events; the host maps it.</summary>
    public const string EventsPath = "/events/schedules";

    public ScheduleTrigger(Construct scope, string id, Function api)
        : base(scope, id)
    {
        api.AddEnvironment("AWS_LWA_PASS_THROUGH_PATH", EventsPath);
        api.AddEnvironment("CodyBatch__Schedules__Loop", "false");

        // The adapter's pass-through of this IAM-authorized invocation carries no API key; the host accepts it as such only.
        api.AddEnvironment("CodyBatch__Schedules__LambdaPassThrough", "true");
        var role = new Role(this, "InvokeRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("scheduler.amazonaws.com"),
            Description = "Lets EventBridge Scheduler invoke the Cody Batch API function for due schedule firings.",
        });
        api.GrantInvoke(role);

        // The scheduler invokes asynchronously; Lambda would retry a failed event twice on its own. Like the schedule's
        // retry policy: no retries, the next minute's round starts whatever is still due.
        api.ConfigureAsyncInvoke(new EventInvokeConfigOptions { RetryAttempts = 0, MaxEventAge = Amazon.CDK.Duration.Seconds(60) });
        Schedule = new CfnSchedule(this, "Tick", new CfnScheduleProps
        {
            Description = "Cody Batch: start the schedule firings that are due.",
            ScheduleExpression = Rate,
            State = "ENABLED",
            FlexibleTimeWindow = new CfnSchedule.FlexibleTimeWindowProperty { Mode = "OFF" },
            Target = new CfnSchedule.TargetProperty
            {
                Arn = api.FunctionArn,
                RoleArn = role.RoleArn,
                Input = """{"source":"codybatch.schedules"}""",

                // A missed minute is picked up by the next one; retrying would only pile up calls.
                RetryPolicy = new CfnSchedule.RetryPolicyProperty { MaximumRetryAttempts = 0, MaximumEventAgeInSeconds = 60 },
            },
        });
    }

    /// <summary>The EventBridge Scheduler schedule.</summary>
    public CfnSchedule Schedule { get; }
}
