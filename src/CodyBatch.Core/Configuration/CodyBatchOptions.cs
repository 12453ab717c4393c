using System.ComponentModel.DataAnnotations;
using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Configuration;

/// <summary>Settings under <c>CodyBatch</c>.</summary>
public sealed class CodyBatchOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch";

    /// <summary>Folder for the embedded store, artifacts and workspaces.</summary>
    [Required(ErrorMessage = "CodyBatch:DataDirectory must name a folder.")]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Patterns such as <c>my-org/*</c>; a job for any other repository is refused. Empty allows all.</summary>
    public string[] AllowedRepositories { get; set; } = [];

    /// <summary>
    /// Whether jobs may name repositories on this machine by path or <c>file://</c> URL. Off for
    /// servers (anyone who can create a job could read any repository the process can); the CLI turns it on.
    /// </summary>
    public bool AllowLocalRepositories { get; set; }

    /// <summary>Where users reach this Cody Batch (e.g. <c>https://codybatch.example.com</c>); pull requests link to their job there.</summary>
    [Url(ErrorMessage = "CodyBatch:PublicUrl must be an absolute URL such as https://codybatch.example.com.")]
    public string? PublicUrl { get; set; }

    /// <summary>API keys accepted as <c>Authorization: Bearer</c>. Empty: no authentication (loopback only).</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>
    /// Host names (besides <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c>) a server without API keys
    /// answers to; any other <c>Host</c> header is refused, so a DNS-rebinding page cannot reach it.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>The model used when a job names none.</summary>
    [Required(ErrorMessage = "CodyBatch:DefaultModel must name a Claude model.")]
    [RegularExpression(JobRequestValidator.ModelPattern, ErrorMessage = "CodyBatch:DefaultModel is not a model name.")]
    public string DefaultModel { get; set; } = "claude-sonnet-4-5";
}
