namespace CodyBatch.Infra;

/// <summary>Where AWS Batch runs the workers (context <c>codybatch:workers</c>).</summary>
public enum WorkerPlatform
{
    /// <summary>EC2 instances that scale to zero; checks, the shell and setup run sandboxed, as on a laptop.</summary>
    Ec2,

    /// <summary>Fargate: no sandbox can be built there, so no checks and no shell.</summary>
    Fargate,
}
