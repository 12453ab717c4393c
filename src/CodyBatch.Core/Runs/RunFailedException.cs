namespace CodyBatch.Core.Runs;

/// <summary>A run cannot go on; <see cref="Exception.Message"/> is a sentence the user can act on and is recorded as the run's error.</summary>
public sealed class RunFailedException : Exception
{
    /// <summary>Creates the exception with the user-facing sentence.</summary>
    public RunFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with the user-facing sentence and its cause.</summary>
    public RunFailedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>For serializers.</summary>
    public RunFailedException() : base("The run failed.") { }
}
