namespace CodyBatch.Access;

/// <summary>Who the caller is, and what their role may do, for the web UI to show and hide.</summary>
/// <param name="Name">The key's name, or <c>local</c> on a server without keys.</param>
/// <param name="Role">viewer, operator or admin.</param>
/// <param name="KeyId">The named key's id; null for configured keys and local use.</param>
/// <param name="CanOperate">Whether the role may create, cancel, retry, re-run, publish, close and merge.</param>
/// <param name="CanAdminister">Whether the role may manage keys and schedules and read the audit log.</param>
public sealed record MeResponse(string Name, string Role, string? KeyId, bool CanOperate, bool CanAdminister);
