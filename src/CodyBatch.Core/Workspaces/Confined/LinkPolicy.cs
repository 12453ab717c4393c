namespace CodyBatch.Core.Workspaces.Confined;

/// <summary>What a <see cref="ConfinedDirectory"/> does with a symbolic link on the way to a path.</summary>
public enum LinkPolicy
{
    /// <summary>
    /// Refuse: the path may not pass through any link. For copying untrusted trees (snapshots, the
    /// checks' copy), where links are kept as links and never looked through.
    /// </summary>
    Refuse,

    /// <summary>
    /// Follow a link only when its target is relative and stays beneath the root, resolved by the same
    /// walk (each step opened beneath the last, <c>..</c> taken on the walk's own handles, never above
    /// the root); absolute targets and targets that climb out are refused.
    /// </summary>
    FollowInside,
}
