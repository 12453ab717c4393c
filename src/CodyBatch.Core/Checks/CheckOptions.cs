using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Checks;

/// <summary>Settings under <c>CodyBatch:Checks</c>: whether repository checks run, and the sandbox's limits.</summary>
public sealed class CheckOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Checks";

    /// <summary>Whether runs verify changes with the repository's checks at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The bubblewrap executable: a path, or a name looked up on <c>PATH</c>.</summary>
    [Required(ErrorMessage = "CodyBatch:Checks:BubblewrapPath must name the bwrap executable.")]
    public string BubblewrapPath { get; set; } = "bwrap";

    /// <summary>Wall-clock limit of one setup or check command.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00", ErrorMessage = "CodyBatch:Checks:Timeout must be between 1 second and 2 hours.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Memory one command's process tree may use, in MiB (page cache and its private /tmp included).</summary>
    [Range(16, 1_048_576, ErrorMessage = "CodyBatch:Checks:MemoryLimitMb must be between 16 and 1,048,576.")]
    public int MemoryLimitMb { get; set; } = 2_048;

    /// <summary>Processes and threads one command's tree may have at once.</summary>
    [Range(4, 100_000, ErrorMessage = "CodyBatch:Checks:MaxProcesses must be between 4 and 100,000.")]
    public int MaxProcesses { get; set; } = 512;

    /// <summary>
    /// What one session's tree (the repository copy checks write in) and its private /tmp may each hold, in MiB.
    /// When Cody Batch runs as root the tree is a tmpfs of this size, so a check that writes more gets
    /// "No space left on device" and is reported at the limit; the data folder's disk never fills. Without
    /// root the tree cannot be mounted and checks are refused, unless this is 0: then the tree stays on the
    /// data folder's disk with no bound (only /tmp keeps a 4 GiB bound).
    /// </summary>
    [Range(0, 1_048_576, ErrorMessage = "CodyBatch:Checks:DiskLimitMb must be between 0 (no bound) and 1,048,576.")]
    public int DiskLimitMb { get; set; } = 4_096;

    /// <summary>
    /// The host user id checks run as when Cody Batch runs as root (it drops to this identity before
    /// bubblewrap starts, so nothing owner-only of the host is readable inside). Never 0.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "CodyBatch:Checks:SandboxUserId must be a user id other than 0 (root).")]
    public int SandboxUserId { get; set; } = 65_534;

    /// <summary>The host group id checks run as when Cody Batch runs as root. Never 0.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "CodyBatch:Checks:SandboxGroupId must be a group id other than 0 (root).")]
    public int SandboxGroupId { get; set; } = 65_534;

    /// <summary>
    /// Whether setup commands (installing dependencies, before the agent starts) may reach the network.
    /// Checks never do.
    /// </summary>
    public bool SetupNetwork { get; set; }

    /// <summary>How often the agent may call <c>run_checks</c> in one run.</summary>
    [Range(0, 100, ErrorMessage = "CodyBatch:Checks:MaxAgentRuns must be between 0 and 100.")]
    public int MaxAgentRuns { get; set; } = 10;

    /// <summary>How much of a command's output (its end) goes into the thread and to the agent, in characters.</summary>
    [Range(200, 1_000_000, ErrorMessage = "CodyBatch:Checks:OutputChars must be between 200 and 1,000,000.")]
    public int OutputChars { get; set; } = 8_000;

    /// <summary>More host folders the sandbox shows read-only, for toolchains outside /usr (e.g. <c>/opt/go</c>).</summary>
    public List<string> ReadOnlyPaths { get; set; } = [];

    /// <summary>
    /// Toolchain folders outside <c>/usr</c> (absolute paths): each is shown read-only at the same path in the sandbox
    /// and its <c>bin</c> (or the folder itself) goes on <c>PATH</c>; a <c>.rustup</c> folder sets <c>RUSTUP_HOME</c>, a
    /// <c>.pyenv</c> folder <c>PYENV_ROOT</c> (its shims on <c>PATH</c>), a folder holding <c>dotnet</c> <c>DOTNET_ROOT</c>.
    /// Name only what holds no secret (<c>~/.cargo/bin</c>, not <c>~/.cargo</c>).
    /// </summary>
    public List<string> ToolchainRoots { get; set; } = [];

    /// <summary>
    /// Whether the usual toolchain places of the service account are added to <see cref="ToolchainRoots"/> when they exist:
    /// <c>~/.cargo/bin</c>, <c>~/.rustup</c>, <c>~/.pyenv</c>, <c>~/.dotnet</c>, <c>DOTNET_ROOT</c> and <c>/usr/local/go</c>.
    /// </summary>
    public bool DetectToolchains { get; set; } = true;

    /// <summary>
    /// Variables set inside the sandbox, by value. Nothing is passed through from the host's environment:
    /// the sandbox sees only PATH, HOME, TMPDIR, LANG, CI and these.
    /// </summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var root in ToolchainRoots.Where(r => !string.IsNullOrWhiteSpace(r) && !Path.IsPathFullyQualified(r.Trim())))
        {
            yield return new ValidationResult(
                $"CodyBatch:Checks:ToolchainRoots holds \"{root}\", which is not an absolute path; give each toolchain folder as a full path such as /opt/rust/bin.",
                [nameof(ToolchainRoots)]);
        }
    }
}
