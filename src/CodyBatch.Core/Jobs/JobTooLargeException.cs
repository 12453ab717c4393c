namespace CodyBatch.Core.Jobs;

/// <summary>
/// A store refused to write a job because its record would pass the store's size limit (DynamoDB's 400 KB item).
/// The write did not happen; <see cref="Exception.Message"/> is a sentence a user can act on. The engine ends the
/// run it was recording with that sentence instead of trying (and paying for) the run again.
/// </summary>
public sealed class JobTooLargeException : Exception
{
    /// <summary>Creates the exception with the user-facing sentence.</summary>
    public JobTooLargeException(string message) : base(message) { }

    /// <summary>Creates the exception with the user-facing sentence and its cause.</summary>
    public JobTooLargeException(string message, Exception inner) : base(message, inner) { }

    /// <summary>For serializers.</summary>
    public JobTooLargeException() : base("The job's record is too large to store.") { }
}
