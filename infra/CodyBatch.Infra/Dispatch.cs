using Amazon.CDK;
using Amazon.CDK.AWS.Batch;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Pipes;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace CodyBatch.Infra;

/// <summary>What <see cref="Dispatch"/> connects.</summary>
public sealed record DispatchProps(
    Table Table,
    JobQueue Queue,
    EcsJobDefinition WorkerJob,
    ContainerImage Image,
    IReadOnlyDictionary<string, string> Environment,
    ILogGroup Logs,
    JobQueue SweepQueue,
    IDictionary<string, Amazon.CDK.AWS.Batch.Secret> SweepSecrets);

/// <summary>
/// Getting every job to a worker, and noticing when that fails. The table's stream feeds a pipe that submits one
/// Batch job for a new job, a reopened job, or a job the reconciler marked; records the pipe cannot deliver go to a
/// dead-letter queue. Every five minutes a scheduled rule runs <c>codybatch sweep</c> on the same queue: it marks
/// jobs with open runs whose leases ran out (the worker died, hit the Batch timeout, or ran out of attempts) or that
/// were never picked up, so the pipe dispatches them again. Alarms go to an SNS topic.
/// </summary>
public sealed class Dispatch : Construct
{
    public Dispatch(Construct scope, string id, DispatchProps props)
        : base(scope, id)
    {
        AlarmTopic = new Topic(this, "Alarms", new TopicProps { DisplayName = "Cody Batch dispatch alarms" });
        DeadLetters = new Queue(this, "DeadLetters", new QueueProps
        {
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });

        var pipeRole = new Role(this, "Role", new RoleProps { AssumedBy = new ServicePrincipal("pipes.amazonaws.com") });
        props.Table.GrantStreamRead(pipeRole);
        DeadLetters.GrantSendMessages(pipeRole);
        pipeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["batch:SubmitJob"],
            Resources = [props.Queue.JobQueueArn, props.WorkerJob.JobDefinitionArn],
        }));
        Pipe = new CfnPipe(this, "Pipe", new CfnPipeProps
        {
            RoleArn = pipeRole.RoleArn,
            Source = props.Table.TableStreamArn!,
            SourceParameters = new CfnPipe.PipeSourceParametersProperty
            {
                DynamoDbStreamParameters = new CfnPipe.PipeSourceDynamoDBStreamParametersProperty
                {
                    StartingPosition = "LATEST",
                    BatchSize = 1,
                    MaximumRetryAttempts = 10,
                    MaximumRecordAgeInSeconds = 3600,
                    DeadLetterConfig = new CfnPipe.DeadLetterConfigProperty { Arn = DeadLetters.QueueArn },
                },
                FilterCriteria = new CfnPipe.FilterCriteriaProperty
                {
                    Filters = new object[]
                    {
                        new CfnPipe.FilterProperty { Pattern = DispatchPatterns.Created },
                        new CfnPipe.FilterProperty { Pattern = DispatchPatterns.Reopened },
                        new CfnPipe.FilterProperty { Pattern = DispatchPatterns.Redispatched },
                    },
                },
            },
            Target = props.Queue.JobQueueArn,
            TargetParameters = new CfnPipe.PipeTargetParametersProperty
            {
                BatchJobParameters = new CfnPipe.PipeTargetBatchJobParametersProperty
                {
                    JobDefinition = props.WorkerJob.JobDefinitionArn,
                    JobName = "codybatch-job",
                    Parameters = new Dictionary<string, string> { ["jobId"] = "$.dynamodb.NewImage.id.S" },
                },
            },
        });

        // Pipes validate their role when they are created: without the policy in place first the deploy fails (aws-cdk#31211).
        Pipe.Node.AddDependency(pipeRole);

        // The reconciler: a small Fargate Batch job with table access only (no GitHub or Anthropic secret; the notification
        // settings when there are any, since failing a run that lost its worker too often can end its job).
        var sweepRole = new Role(this, "SweepRole", new RoleProps { AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com") });
        props.Table.GrantReadWriteData(sweepRole);
        SweepJob = new EcsJobDefinition(this, "SweepJob", new EcsJobDefinitionProps
        {
            Container = new EcsFargateContainerDefinition(this, "SweepContainer", new EcsFargateContainerDefinitionProps
            {
                Image = props.Image,
                Cpu = 0.25,
                Memory = Size.Mebibytes(512),
                Command = ["sweep"],
                Environment = new Dictionary<string, string>(props.Environment),
                Secrets = props.SweepSecrets.Count == 0 ? null : props.SweepSecrets,
                JobRole = sweepRole,
                AssignPublicIp = true,
                FargateCpuArchitecture = CpuArchitecture.X86_64,
                FargateOperatingSystemFamily = OperatingSystemFamily.LINUX,
                Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = props.Logs, StreamPrefix = "sweep" }),
            }),
            Timeout = Duration.Minutes(10),
            RetryAttempts = 1,
        });
        Schedule = new Rule(this, "Reconcile", new RuleProps
        {
            Description = "Runs codybatch sweep: dispatches again the jobs whose runs lost their worker or were never picked up.",
            Schedule = Amazon.CDK.AWS.Events.Schedule.Rate(Duration.Minutes(5)),
            Targets =
            [
                new BatchJob(props.SweepQueue.JobQueueArn, props.SweepQueue, SweepJob.JobDefinitionArn, SweepJob, new BatchJobProps
                {
                    JobName = "codybatch-sweep",
                    DeadLetterQueue = DeadLetters,
                    RetryAttempts = 2,
                    MaxEventAge = Duration.Minutes(10),
                }),
            ],
        });

        var alarm = new SnsAction(AlarmTopic);
        Alarm("DeadLettersAlarm", DeadLetters.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Maximum" }),
            "A job could not be dispatched (dead-letter queue not empty); the reconciler retries it, inspect the message.", alarm);
        Alarm("PipeFailedAlarm", PipeMetric("ExecutionFailed"), "The dispatch pipe failed to submit a Batch job.", alarm);
        Alarm("PipeTargetFailedAlarm", PipeMetric("TargetStageFailed"), "AWS Batch refused a job the dispatch pipe submitted.", alarm);
        Alarm("SweepFailedAlarm", new Metric(new MetricProps
        {
            Namespace = "AWS/Events",
            MetricName = "FailedInvocations",
            DimensionsMap = new Dictionary<string, string> { ["RuleName"] = Schedule.RuleName },
            Period = Duration.Minutes(5),
            Statistic = "Sum",
        }), "The reconciler's schedule could not submit its sweep job.", alarm);
    }

    /// <summary>The pipe from the table's stream to the job queue.</summary>
    public CfnPipe Pipe { get; }

    /// <summary>Where undeliverable stream records and failed sweep submissions go.</summary>
    public Queue DeadLetters { get; }

    /// <summary>Where alarms go; subscribe an address to it.</summary>
    public Topic AlarmTopic { get; }

    /// <summary>The reconciler's job definition.</summary>
    public EcsJobDefinition SweepJob { get; }

    /// <summary>The reconciler's schedule.</summary>
    public Rule Schedule { get; }

    private Metric PipeMetric(string name) => new(new MetricProps
    {
        Namespace = "AWS/EventBridge/Pipes",
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { ["PipeName"] = Pipe.Ref },
        Period = Duration.Minutes(5),
        Statistic = "Sum",
    });

    private void Alarm(string id, IMetric metric, string description, IAlarmAction action)
    {
        var alarm = new Alarm(this, id, new AlarmProps
        {
            Metric = metric,
            Threshold = 1,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            AlarmDescription = description,
        });
        alarm.AddAlarmAction(action);
    }
}
