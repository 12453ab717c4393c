using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Access;

/// <summary>Settings under <c>CodyBatch:Audit</c>.</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Audit";

    /// <summary>Days an audit entry is kept; older ones are removed once a day.</summary>
    [Range(1, 3650, ErrorMessage = "CodyBatch:Audit:RetentionDays must be between 1 and 3650 days.")]
    public int RetentionDays { get; set; } = 365;
}
