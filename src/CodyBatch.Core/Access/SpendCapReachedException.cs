namespace CodyBatch.Core.Access;

/// <summary>A job was refused because a monthly spend cap is reached; the message names the cap and what was spent.</summary>
public sealed class SpendCapReachedException(string message) : Exception(message);
