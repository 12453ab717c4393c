using Microsoft.Win32.SafeHandles;

namespace CodyBatch.Core.Workspaces.Confined;

/// <summary>
/// Hands a folder and everything in it to another user (as <c>chown -R -h</c> does), walking it by directory handles
/// opened beneath one another with <c>O_NOFOLLOW</c>, so a folder swapped for a link meanwhile is never entered and a
/// link is changed itself, never what it points at. A regular file with more than one name is left as it is: it is
/// a dependency cache's file shared with the store (restored as a hard link, read-only to the sandbox's user), or a
/// link some process made to a file it does not own; handing either over would let sandboxed code change a file
/// outside the folder.
/// </summary>
public static class OwnershipTransfer
{
    /// <summary>Gives <paramref name="root"/> and what it holds to <paramref name="userId"/>:<paramref name="groupId"/>; throws <see cref="IOException"/> when the root itself cannot be.</summary>
    public static void Give(string root, int userId, int groupId)
    {
        using var handle = LibC.Open(root, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (handle.IsInvalid || LibC.FchownAt(handle, "", userId, groupId, LibC.AT_EMPTY_PATH) != 0)
        {
            throw new IOException($"{root} could not be given to user {userId} (errno {LibC.Errno}).");
        }

        GiveContents(handle, userId, groupId);
    }

    private static void GiveContents(SafeFileHandle directory, int userId, int groupId)
    {
        foreach (var (name, _) in LibC.ReadDirectory(directory))
        {
            // Gone meanwhile, or not ours to look at: nothing to hand over.
            if (LibC.Owner(directory, name) is not { } stat || (stat.Type == LibC.S_IFREG && stat.Links != 1))
            {
                continue;
            }

            if (stat.UserId != userId)
            {
                LibC.FchownAt(directory, name, userId, groupId, LibC.AT_SYMLINK_NOFOLLOW);
            }

            if (stat.Type != LibC.S_IFDIR)
            {
                continue;
            }

            using var child = LibC.OpenAt(directory, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            if (!child.IsInvalid)
            {
                GiveContents(child, userId, groupId);
            }
        }
    }
}
