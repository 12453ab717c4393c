namespace CodyBatch.Infra.Tests;

/// <summary>
/// Workers that can sandbox: an EC2 compute environment that scales to zero, and a job definition with what bubblewrap
/// needs on Batch (privileged: Batch's linuxParameters offer no capabilities, seccomp, AppArmor or /proc unmask setting).
/// </summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class WorkerSandboxTests(SynthesizedStack stack)
{
    private JsonNode Worker => stack.Resources("AWS::Batch::JobDefinition").Single(d => d["Properties"]!["ContainerProperties"]!["Command"]![0]!.GetValue<string>() == "worker")["Properties"]!;

    private (string Id, JsonObject Resource) WorkerQueue => stack.Named("AWS::Batch::JobQueue")
        .Single(q => q.Id == SynthesizedStack.Target(stack.Resources("AWS::Pipes::Pipe").Single()["Properties"]!["Target"]));

    [Fact]
    public void The_workers_run_on_ec2_instances_of_a_compute_environment_that_scales_to_zero()
    {
        var computeId = SynthesizedStack.Target(WorkerQueue.Resource["Properties"]!["ComputeEnvironmentOrder"]![0]!["ComputeEnvironment"])!;
        var resources = stack.Json["Resources"]![computeId]!["Properties"]!["ComputeResources"]!;

        Assert.Equal("EC2", resources["Type"]!.GetValue<string>());
        Assert.Equal(0, resources["MinvCpus"]!.GetValue<int>());
        Assert.Equal(32, resources["MaxvCpus"]!.GetValue<int>());
        Assert.Equal(["m6i.2xlarge", "m6i.large", "m6i.xlarge"], resources["InstanceTypes"]!.AsArray().Select(t => t!.GetValue<string>()).Order());
        Assert.Equal("ECS_AL2023", resources["Ec2Configuration"]![0]!["ImageType"]!.GetValue<string>());
        Assert.Equal(["EC2"], Worker["PlatformCapabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public void The_launch_template_requires_imdsv2_out_of_reach_of_containers_and_gives_an_encrypted_disk_for_workspaces()
    {
        var computeId = SynthesizedStack.Target(WorkerQueue.Resource["Properties"]!["ComputeEnvironmentOrder"]![0]!["ComputeEnvironment"])!;
        var templateRef = stack.Json["Resources"]![computeId]!["Properties"]!["ComputeResources"]!["LaunchTemplate"]!["LaunchTemplateId"];
        var data = stack.Json["Resources"]![SynthesizedStack.Target(templateRef)!]!["Properties"]!["LaunchTemplateData"]!;

        Assert.Equal("required", data["MetadataOptions"]!["HttpTokens"]!.GetValue<string>());
        Assert.Equal(1, data["MetadataOptions"]!["HttpPutResponseHopLimit"]!.GetValue<int>());
        var disk = data["BlockDeviceMappings"]![0]!["Ebs"]!;
        Assert.Equal(100, disk["VolumeSize"]!.GetValue<int>());
        Assert.True(disk["Encrypted"]!.GetValue<bool>());
        Assert.Contains("user.max_user_namespaces", data["UserData"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("multipart/mixed", data["UserData"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_container_may_create_namespaces_mounts_and_cgroups_and_reaps_its_children()
    {
        var container = Worker["ContainerProperties"]!;

        // Namespaces, mounts, a fresh /proc over an unmasked one, and a writable /sys/fs/cgroup: only "privileged" grants these on Batch.
        Assert.True(container["Privileged"]!.GetValue<bool>());
        Assert.Equal("root", container["User"]!.GetValue<string>());
        Assert.True(container["LinuxParameters"]!["InitProcessEnabled"]!.GetValue<bool>());
        var environment = container["Environment"]!.AsArray().ToDictionary(e => e!["Name"]!.GetValue<string>(), e => e!["Value"]!.ToJsonString());
        Assert.False(environment.ContainsKey("CodyBatch__Checks__Enabled"), "checks are on where the sandbox exists");
    }

    [Fact]
    public void The_sweep_keeps_a_small_fargate_queue_of_its_own_since_a_queue_cannot_mix_ec2_and_fargate()
    {
        var queues = stack.Named("AWS::Batch::JobQueue").ToList();

        Assert.Equal(2, queues.Count);
        var sweepQueue = queues.Single(q => q.Id != WorkerQueue.Id);
        var compute = SynthesizedStack.Target(sweepQueue.Resource["Properties"]!["ComputeEnvironmentOrder"]![0]!["ComputeEnvironment"])!;
        Assert.Equal("FARGATE", stack.Json["Resources"]![compute]!["Properties"]!["ComputeResources"]!["Type"]!.GetValue<string>());
    }
}

/// <summary>The Fargate choice: one Fargate queue for everything, no privileged container, checks off with the reason.</summary>
public sealed class FargateWorkerTests(FargateStack stack) : IClassFixture<FargateStack>
{
    [Fact]
    public void The_workers_run_on_fargate_unprivileged_with_checks_off()
    {
        var worker = stack.Resources("AWS::Batch::JobDefinition").Single(d => d["Properties"]!["ContainerProperties"]!["Command"]![0]!.GetValue<string>() == "worker")["Properties"]!;
        var container = worker["ContainerProperties"]!;

        Assert.Equal(["FARGATE"], worker["PlatformCapabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Null(container["Privileged"]);
        Assert.Equal("false", container["Environment"]!.AsArray().Single(e => e!["Name"]!.GetValue<string>() == "CodyBatch__Checks__Enabled")!["Value"]!.GetValue<string>());
        Assert.Single(stack.Resources("AWS::Batch::JobQueue"));
        Assert.All(stack.Resources("AWS::Batch::ComputeEnvironment"), c => Assert.Equal("FARGATE", c["Properties"]!["ComputeResources"]!["Type"]!.GetValue<string>()));
        Assert.Empty(stack.Resources("AWS::EC2::LaunchTemplate"));
    }
}
