using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Configuration;

/// <summary>Settings under <c>CodyBatch:Workspace</c>: limits on what a run may read, write and hand back.</summary>
public sealed class WorkspaceOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Workspace";

    /// <summary>Largest file the agent may read or write, in bytes.</summary>
    [Range(1024L, 1L << 30, ErrorMessage = "CodyBatch:Workspace:MaxFileBytes must be between 1 KiB and 1 GiB.")]
    public long MaxFileBytes { get; set; } = 1L << 20;

    /// <summary>Largest patch a run may produce, in bytes.</summary>
    [Range(1024L, 1L << 30, ErrorMessage = "CodyBatch:Workspace:MaxPatchBytes must be between 1 KiB and 1 GiB.")]
    public long MaxPatchBytes { get; set; } = 10L << 20;
}
