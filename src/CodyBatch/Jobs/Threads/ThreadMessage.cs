namespace CodyBatch.Jobs;

/// <summary>A message sent to Claude: its role and its content, a string or a list of content blocks (see <see cref="ThreadBlock"/>).</summary>
public sealed record ThreadMessage(string Role, JsonElement Content);
