using System.Globalization;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Workspaces.Confined;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Environments;

/// <summary>
/// Dependency caches in a folder of the data directory, one per key at
/// <c>{DataDirectory}/caches/{repository hash}/{ecosystem}/{lock-file hash}/</c> (its files under <c>content/</c>, the
/// time it was saved in <c>saved</c>). Restoring copies the files into the run's home (or, for a cache's write-once
/// folders as root, links them read-only to the run), so nothing a run does reaches the stored cache; saving copies the run's cache into a new folder and swaps it in whole. Only folders and regular
/// files are copied (a link in a cache is left out), and a cache past the size cap is not kept. An
/// <see cref="InstalledTree"/> is kept as one archive, <c>content.tar</c>, with its links (see
/// <see cref="InstalledTreeArchive"/>).
/// </summary>
public sealed partial class LocalDependencyCacheStore(IOptions<CodyBatchOptions> data, IOptions<CacheOptions> options, TimeProvider time, ILogger<LocalDependencyCacheStore> logger)
    : IDependencyCacheStore
{
    private string Root => Path.GetFullPath(Path.Combine(data.Value.DataDirectory, "caches"));

    /// <inheritdoc />
    public bool KeepsInstalledTrees => true;

    /// <summary>The folder that holds <paramref name="key"/>.</summary>
    public string FolderOf(DependencyCacheKey key)
    {
        if (!Segment().IsMatch(key.Ecosystem) || !Segment().IsMatch(key.LockFileHash) || string.IsNullOrEmpty(key.Scope))
        {
            throw new ArgumentException($"A dependency cache key needs a scope, and an ecosystem and lock-file hash of letters, digits, '.', '_' or '-' (got \"{key.Ecosystem}\", \"{key.LockFileHash}\").", nameof(key));
        }

        var scope = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Scope)))[..32];
        return Path.Combine(Root, scope, key.Ecosystem, key.LockFileHash);
    }

    /// <inheritdoc />
    public Task<bool> RestoreAsync(DependencyCacheKey key, string targetDirectory, CancellationToken cancellationToken)
    {
        var folder = FolderOf(key);
        var content = Path.Combine(folder, "content");
        var archive = Path.Combine(folder, InstalledTreeArchive.FileName);
        if (!(IsTree(key) ? File.Exists(archive) : Directory.Exists(content)) || !DateTimeOffset.TryParse(ReadSaved(folder), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var saved))
        {
            return Task.FromResult(false);
        }

        if (time.GetUtcNow() - saved > options.Value.Expiry)
        {
            LogExpired(logger, key.Ecosystem, key.LockFileHash);
            return Task.FromResult(false);
        }

        try
        {
            if (IsTree(key))
            {
                InstalledTreeArchive.Extract(archive, targetDirectory, cancellationToken);
                return Task.FromResult(true);
            }

            Directory.CreateDirectory(targetDirectory);
            Restore(content, targetDirectory, DependencyCacheKinds.WriteOnceOf(key.Ecosystem), cancellationToken);
            return Task.FromResult(true);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // Replaced while it was read, the disk is full, or a stored tree cannot be read: setup fills it again instead.
            LogUnreadable(logger, e, key.Ecosystem, key.LockFileHash);
            Directory.Delete(targetDirectory, recursive: true);
            return Task.FromResult(false);
        }
    }

    /// <inheritdoc />
    public Task SaveAsync(DependencyCacheKey key, string sourceDirectory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(sourceDirectory))
        {
            return Task.CompletedTask;
        }

        var folder = FolderOf(key);
        var parent = Directory.CreateDirectory(Path.GetDirectoryName(folder)!).FullName;
        var fresh = Path.Combine(parent, $".new-{Guid.NewGuid():N}");
        try
        {
            var maxBytes = options.Value.MaxMb * 1024L * 1024L;
            if (IsTree(key))
            {
                Directory.CreateDirectory(fresh);
                if (!InstalledTreeArchive.Write(sourceDirectory, Path.Combine(fresh, InstalledTreeArchive.FileName), maxBytes, cancellationToken))
                {
                    throw new CacheTooLargeException();
                }
            }
            else
            {
                Copy(sourceDirectory, Path.Combine(fresh, "content"), maxBytes, cancellationToken);
            }

            File.WriteAllText(Path.Combine(fresh, "saved"), time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            var old = Path.Combine(parent, $".old-{Guid.NewGuid():N}");
            if (Directory.Exists(folder))
            {
                Directory.Move(folder, old);
            }

            Directory.Move(fresh, folder);
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }
        }
        catch (CacheTooLargeException)
        {
            LogTooLarge(logger, key.Ecosystem, options.Value.MaxMb);
        }
        finally
        {
            if (Directory.Exists(fresh))
            {
                Directory.Delete(fresh, recursive: true);
            }
        }

        return Task.CompletedTask;
    }

    // An installed tree is kept as one archive (with its links); a package manager's cache as a folder.
    private static bool IsTree(DependencyCacheKey key) => key.Ecosystem == InstalledTree.Ecosystem;

    private static string? ReadSaved(string folder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(folder, "saved"));
        }
        catch (IOException)
        {
            return null;
        }
    }

    // Folders and regular files only, never through a link; past maxBytes the copy stops.
    private static void Copy(string source, string target, long maxBytes, CancellationToken cancellationToken)
    {
        long total = 0;
        var pending = new Stack<(string From, string To)>();
        pending.Push((source, target));
        while (pending.Count > 0)
        {
            var (from, to) = pending.Pop();
            Directory.CreateDirectory(to);
            foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.LinkTarget is not null)
                {
                    continue;
                }

                var destination = Path.Combine(to, entry.Name);
                if (entry is DirectoryInfo)
                {
                    pending.Push((entry.FullName, destination));
                }
                else
                {
                    total += CopyRegularFile(entry.FullName, destination);
                    if (total > maxBytes)
                    {
                        throw new CacheTooLargeException();
                    }
                }
            }
        }
    }

    // Folders are made anew, so they are the run's. A file under a write-once folder is shared with the store (a hard
    // link) when the stored copy is root's and nobody else may write it: the sandbox never runs as root, so the run can
    // read it and replace it but never change it, and handing the home to the sandbox's user leaves it alone (a file
    // with two names). Any other file is copied. The store holds only folders and regular files Cody Batch wrote, so
    // the walk takes each entry's type from the directory listing and copies with the system's file copy.
    private static void Restore(string source, string target, IReadOnlyList<string> writeOnce, CancellationToken cancellationToken)
    {
        var share = Environment.IsPrivilegedProcess && writeOnce.Count > 0;
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };
        var pending = new Stack<(string From, string To, string Relative)>();
        pending.Push((source, target, ""));
        while (pending.Count > 0)
        {
            var (from, to, relative) = pending.Pop();
            Directory.CreateDirectory(to);
            var linked = share && writeOnce.Any(w => relative == w || relative.StartsWith(w + "/", StringComparison.Ordinal));
            var entries = new FileSystemEnumerable<(string Name, bool Folder, bool Link)>(
                from, (ref entry) => (entry.FileName.ToString(), entry.IsDirectory, (entry.Attributes & FileAttributes.ReparsePoint) != 0), options);
            foreach (var (name, folder, link) in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (link)
                {
                    continue;
                }

                var (stored, destination) = (Path.Join(from, name), Path.Join(to, name));
                if (folder)
                {
                    pending.Push((stored, destination, relative.Length == 0 ? name : $"{relative}/{name}"));
                }
                else if (!linked || !Share(stored, destination))
                {
                    File.Copy(stored, destination);
                }
            }
        }
    }

    private static bool Share(string stored, string destination)
    {
        using var handle = LibC.Open(stored, LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        return !handle.IsInvalid
            && LibC.Stat(handle, "") is { Type: LibC.S_IFREG } stat && (stat.Mode & 0b000_010_010) == 0
            && LibC.Owner(handle, "") is { UserId: 0 }
            && LibC.Link(stored, destination) == 0;
    }

    // Opened without following a link and without blocking, and copied only when it is a regular file: a FIFO or device
    // a repository's setup left in its cache is never waited on or read.
    private static long CopyRegularFile(string source, string destination)
    {
        using var handle = LibC.Open(source, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOCTTY, 0);
        if (handle.IsInvalid || LibC.Stat(handle, "") is not { Type: LibC.S_IFREG } stat)
        {
            return 0;
        }

        using var input = new FileStream(handle, FileAccess.Read);
        using var output = new FileStream(destination, FileMode.Create, FileAccess.Write);
        input.CopyTo(output);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destination, (UnixFileMode)(stat.Mode & 0b111_101_101) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return stat.Size;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex Segment();

    [LoggerMessage(Level = LogLevel.Information, Message = "Dependency cache {Ecosystem} {LockFileHash} is past its expiry; setup fills it again")]
    private static partial void LogExpired(ILogger logger, string ecosystem, string lockFileHash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dependency cache {Ecosystem} {LockFileHash} could not be restored; setup fills it again")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string ecosystem, string lockFileHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dependency cache {Ecosystem} not saved: larger than {MaxMb} MiB (CodyBatch:Caches:MaxMb)")]
    private static partial void LogTooLarge(ILogger logger, string ecosystem, int maxMb);

    private sealed class CacheTooLargeException : Exception;
}
