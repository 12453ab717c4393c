namespace CodyBatch.Core.Checks;

/// <summary>The sandbox cannot run on this machine; the message says why and what to install.</summary>
public sealed class CheckSandboxUnavailableException(string message) : Exception(message);
