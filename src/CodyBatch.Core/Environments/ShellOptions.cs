using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Environments;

/// <summary>Settings under <c>CodyBatch:Shell</c>: whether Claude gets a shell in the run's sandbox, and its per-command limits.</summary>
public sealed class ShellOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Shell";

    /// <summary>Whether runs give Claude the <c>bash</c> tool (a job can still turn it off for itself).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Wall-clock limit of one command; at the limit the command's processes are killed and the session goes on.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "CodyBatch:Shell:CommandTimeout must be between 1 second and 1 hour.")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How much of one command's output Claude and the thread get, in characters: half from its start, half from its end.</summary>
    [Range(1_000, 1_000_000, ErrorMessage = "CodyBatch:Shell:OutputChars must be between 1,000 and 1,000,000.")]
    public int OutputChars { get; set; } = 16_000;
}
