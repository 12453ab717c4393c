namespace CodyBatch.Core.Publishing;

/// <summary>An open pull request of a repository and the files it touches (both names of a renamed file).</summary>
/// <param name="Number">Its number.</param>
/// <param name="Url">Its page.</param>
/// <param name="Author">Who opened it.</param>
/// <param name="Files">The paths it adds, changes, removes or renames (from and to).</param>
/// <param name="FilesCut">True when the host listed only part of its files (GitHub lists at most 3,000).</param>
public sealed record OpenPullRequestFiles(int Number, string Url, string Author, IReadOnlySet<string> Files, bool FilesCut = false);
