namespace CodyBatch.Claude.Tools;

/// <summary>A tool call that cannot be carried out; its message goes back to Claude as an error result.</summary>
internal sealed class ToolException(string message) : Exception(message);
