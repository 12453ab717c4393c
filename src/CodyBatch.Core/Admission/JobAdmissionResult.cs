namespace CodyBatch.Core.Admission;

/// <summary>Whether a job may start now; when not, how long until the caller may start the next one.</summary>
/// <param name="Admitted">True when the job may start.</param>
/// <param name="RetryAfter">The wait until the next start is allowed; zero when admitted.</param>
public readonly record struct JobAdmissionResult(bool Admitted, TimeSpan RetryAfter);
