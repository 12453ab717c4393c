using Amazon.CDK;
using Amazon.CDK.AWS.Batch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace CodyBatch.Infra;

/// <summary>What <see cref="Workers"/> runs, and with what.</summary>
public sealed record WorkersProps(
    StackSettings Settings,
    IVpc Network,
    ContainerImage Image,
    IDictionary<string, string> Environment,
    IDictionary<string, Amazon.CDK.AWS.Batch.Secret> Secrets,
    IRole JobRole,
    ILogGroup Logs);

/// <summary>
/// The AWS Batch compute that runs <c>codybatch worker --job-id</c>. With <see cref="WorkerPlatform.Ec2"/> (the default)
/// the workers run on EC2 instances of a managed compute environment that scales to zero, in a privileged container:
/// the only setting of a Batch (ECS) job definition that lets bubblewrap create its namespaces and mount a fresh
/// <c>/proc</c> (Batch's <c>linuxParameters</c> offer neither capabilities nor seccomp, AppArmor or unmask options).
/// Checks, the shell and setup then run in the same sandbox as on a laptop. With <see cref="WorkerPlatform.Fargate"/>
/// the workers run on Fargate, where no sandbox can be built: every run records its checks as unavailable and has no shell.
/// </summary>
public sealed class Workers : Construct
{
    /// <summary>The instance's root volume: the image, its toolchains, and every run's workspace and dependency cache.</summary>
    public const int RootVolumeGiB = 100;

    public Workers(Construct scope, string id, WorkersProps props)
        : base(scope, id)
    {
        var settings = props.Settings;
        Platform = settings.Workers;
        var placement = new SubnetSelection { SubnetType = SubnetType.PUBLIC };
        IComputeEnvironment compute;
        IEcsContainerDefinition container;
        if (Platform == WorkerPlatform.Ec2)
        {
            // IMDSv2 with a hop limit of 1: a container (one hop further) cannot reach the instance's metadata and role;
            // the worker gets its own job role from the ECS agent instead.
            var userData = new MultipartUserData();
            var script = UserData.ForLinux();
            script.AddCommands(
                "# bubblewrap's --unshare-user needs user namespaces; Amazon Linux 2023 allows them, this keeps it so.",
                "echo 'user.max_user_namespaces = 15000' > /etc/sysctl.d/90-codybatch.conf",
                "sysctl --system");
            userData.AddUserDataPart(script, "text/x-shellscript; charset=\"utf-8\"", true);
            LaunchTemplate = new LaunchTemplate(this, "LaunchTemplate", new LaunchTemplateProps
            {
                RequireImdsv2 = true,
                HttpPutResponseHopLimit = 1,
                UserData = userData,
                BlockDevices =
                [
                    new BlockDevice
                    {
                        DeviceName = "/dev/xvda",
                        Volume = BlockDeviceVolume.Ebs(RootVolumeGiB, new EbsDeviceOptions { VolumeType = EbsDeviceVolumeType.GP3, Encrypted = true, DeleteOnTermination = true }),
                    },
                ],
            });
            compute = new ManagedEc2EcsComputeEnvironment(this, "Compute", new ManagedEc2EcsComputeEnvironmentProps
            {
                Vpc = props.Network,
                VpcSubnets = placement,
                MinvCpus = 0,
                MaxvCpus = settings.WorkerMaxvCpus,
                InstanceTypes = [.. settings.WorkerInstanceTypes.Select(t => new InstanceType(t))],
                UseOptimalInstanceClasses = false,
                Images = [new EcsMachineImage { ImageType = EcsMachineImageType.ECS_AL2023 }],
                LaunchTemplate = LaunchTemplate,
                AllocationStrategy = AllocationStrategy.BEST_FIT_PROGRESSIVE,
                Spot = settings.WorkerSpot,
                UpdateToLatestImageVersion = true,
            });
            container = new EcsEc2ContainerDefinition(this, "Container", new EcsEc2ContainerDefinitionProps
            {
                Image = props.Image,
                Cpu = 2,
                Memory = Size.Gibibytes(6),
                Command = ["worker", "--job-id", "Ref::jobId"],
                Environment = props.Environment,
                Secrets = props.Secrets,
                JobRole = props.JobRole,

                // bubblewrap needs new namespaces, mounts and a fresh /proc; cgroups need a writable /sys/fs/cgroup and root.
                // The sandbox drops all of it for what it runs (an unprivileged identity, no capabilities, seccomp).
                Privileged = true,
                User = "root",
                LinuxParameters = new Amazon.CDK.AWS.Batch.LinuxParameters(this, "Linux", new Amazon.CDK.AWS.Batch.LinuxParametersProps { InitProcessEnabled = true }),
                Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = props.Logs, StreamPrefix = "worker" }),
            });
        }
        else
        {
            compute = new FargateComputeEnvironment(this, "Compute", new FargateComputeEnvironmentProps
            {
                Vpc = props.Network,
                VpcSubnets = placement,
                MaxvCpus = settings.WorkerMaxvCpus,
                Spot = settings.WorkerSpot,
            });
            container = new EcsFargateContainerDefinition(this, "Container", new EcsFargateContainerDefinitionProps
            {
                Image = props.Image,
                Cpu = 1,
                Memory = Size.Gibibytes(4),
                Command = ["worker", "--job-id", "Ref::jobId"],
                Environment = props.Environment,
                Secrets = props.Secrets,
                JobRole = props.JobRole,
                AssignPublicIp = true,
                EphemeralStorageSize = Size.Gibibytes(50),
                FargateCpuArchitecture = CpuArchitecture.X86_64,
                FargateOperatingSystemFamily = OperatingSystemFamily.LINUX,
                Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = props.Logs, StreamPrefix = "worker" }),
            });
        }

        Compute = compute;
        Queue = new JobQueue(this, "Queue", new JobQueueProps
        {
            ComputeEnvironments = [new OrderedComputeEnvironment { ComputeEnvironment = compute, Order = 1 }],
        });
        Job = new EcsJobDefinition(this, "Job", new EcsJobDefinitionProps
        {
            Container = container,
            Timeout = Duration.Hours(3),
            RetryAttempts = 3,
            RetryStrategies =
            [
                RetryStrategy.Of(Amazon.CDK.AWS.Batch.Action.RETRY, Reason.CANNOT_PULL_CONTAINER),
                RetryStrategy.Of(Amazon.CDK.AWS.Batch.Action.RETRY, Reason.SPOT_INSTANCE_RECLAIMED),
                RetryStrategy.Of(Amazon.CDK.AWS.Batch.Action.EXIT, Reason.Custom(new CustomReason { OnExitCode = "1" })),
            ],
            Parameters = new Dictionary<string, object> { ["jobId"] = "none" },
        });
    }

    /// <summary>Where the workers run.</summary>
    public WorkerPlatform Platform { get; }

    /// <summary>The compute environment of the workers.</summary>
    public IComputeEnvironment Compute { get; }

    /// <summary>The EC2 instances' launch template (EC2 only).</summary>
    public LaunchTemplate? LaunchTemplate { get; }

    /// <summary>The queue the dispatch pipe submits worker jobs to.</summary>
    public JobQueue Queue { get; }

    /// <summary>The worker's job definition.</summary>
    public EcsJobDefinition Job { get; }
}
