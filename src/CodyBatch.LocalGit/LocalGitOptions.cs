using System.ComponentModel.DataAnnotations;

namespace CodyBatch.LocalGit;

/// <summary>Settings under <c>CodyBatch:LocalGit</c>.</summary>
public sealed class LocalGitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:LocalGit";

    /// <summary>Author (and committer) name of the commits published to local repositories.</summary>
    [Required(ErrorMessage = "CodyBatch:LocalGit:AuthorName must not be empty.")]
    public string AuthorName { get; set; } = "Cody Batch";

    /// <summary>Author (and committer) email of those commits.</summary>
    [Required(ErrorMessage = "CodyBatch:LocalGit:AuthorEmail must not be empty.")]
    public string AuthorEmail { get; set; } = "codybatch@localhost";
}
