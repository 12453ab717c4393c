namespace CodyBatch.Core.Admission;

/// <summary>
/// The job rate limit: every way a job starts (a new job, a re-run, a retry, a schedule's firing)
/// asks before it starts, on behalf of the caller it counts against.
/// </summary>
public interface IJobAdmission
{
    /// <summary>Takes one start from <paramref name="caller"/>'s allowance; refused with the wait until the next one when none is left.</summary>
    JobAdmissionResult TryAdmit(Caller caller);
}
