namespace CodyBatch.Hosting;

/// <summary>The configuration is unsafe or wrong; the message says what to change.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);
