namespace CodyBatch.Testing.GitHub;

/// <summary>A repository the fake GitHub serves: its files at one commit, and what the service account may do.</summary>
public sealed class FakeGitHubRepository(string owner, string name)
{
    public string Owner { get; } = owner;

    public string Name { get; } = name;

    public string FullName => $"{Owner}/{Name}";

    public string DefaultBranch { get; set; } = "main";

    public bool Private { get; set; }

    public bool Archived { get; set; }

    /// <summary>Whether it is a fork (<c>fork</c>).</summary>
    public bool Fork { get; set; }

    /// <summary>Its primary language (<c>language</c>; null when GitHub detected none).</summary>
    public string? Language { get; set; }

    /// <summary>Its topics (<c>topics</c>, lower case as GitHub keeps them).</summary>
    public List<string> Topics { get; } = [];

    public bool CanPush { get; set; } = true;

    public bool Empty { get; set; }

    /// <summary>Whether the repository's plan has draft pull requests (GitHub answers 422 to a draft otherwise).</summary>
    public bool DraftsSupported { get; set; } = true;

    public string? Description { get; set; }

    /// <summary>The repository's "Allow auto-merge" setting (<c>allow_auto_merge</c>; off by default, as on GitHub).</summary>
    public bool AllowAutoMerge { get; set; }

    /// <summary>The merge methods the repository allows (<c>allow_merge_commit</c>, <c>allow_squash_merge</c>, <c>allow_rebase_merge</c>).</summary>
    public HashSet<string> MergeMethods { get; } = ["merge", "squash", "rebase"];

    /// <summary>Branch protection of the default branch: the status check contexts (or check run names) that must pass.</summary>
    public List<string> RequiredChecks { get; } = [];

    /// <summary>Who else has access, by login: <c>COLLABORATOR</c> or <c>MEMBER</c> (the owner is <c>OWNER</c>, anyone else <c>NONE</c>).</summary>
    public Dictionary<string, string> Associations { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>GitHub's <c>author_association</c> of <paramref name="login"/> with this repository.</summary>
    public string AssociationOf(string login) =>
        login.Equals(Owner, StringComparison.OrdinalIgnoreCase) ? "OWNER" : Associations.GetValueOrDefault(login, "NONE");

    /// <summary>Branch protection: approving reviews required (0: none).</summary>
    public int RequiredApprovals { get; set; }

    /// <summary>Path → (mode, bytes) at the head commit; mode 120000 holds a link target.</summary>
    public Dictionary<string, (string Mode, byte[] Content)> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, the tarball download answers these bytes instead of an archive of <see cref="Files"/>.</summary>
    public byte[]? Tarball { get; set; }

    public FakeGitHubRepository With(string path, string content, string mode = "100644")
    {
        Files[path] = (mode, System.Text.Encoding.UTF8.GetBytes(content));
        return this;
    }

    public FakeGitHubRepository With(string path, byte[] content, string mode = "100644")
    {
        Files[path] = (mode, content);
        return this;
    }
}
