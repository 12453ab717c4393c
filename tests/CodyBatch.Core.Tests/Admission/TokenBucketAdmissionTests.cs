using CodyBatch.Core.Admission;

namespace CodyBatch.Core.Tests.Admission;

/// <summary>The per-caller token bucket, its clock moved by hand.</summary>
public sealed class TokenBucketAdmissionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private TokenBucketAdmission Admission(int burst, int perMinute) =>
        new(Options.Create(new JobRateLimitOptions { Burst = burst, JobsPerMinute = perMinute }), _time);

    [Fact]
    public void A_caller_gets_its_burst_then_one_start_per_refill_period_with_the_wait_said()
    {
        var admission = Admission(burst: 2, perMinute: 4);
        var caller = new Caller("key:aaaa");

        Assert.True(admission.TryAdmit(caller).Admitted);
        Assert.True(admission.TryAdmit(caller).Admitted);
        var refused = admission.TryAdmit(caller);
        Assert.False(refused.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(15), refused.RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(5), admission.TryAdmit(caller).RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(admission.TryAdmit(caller).Admitted);
        Assert.False(admission.TryAdmit(caller).Admitted);

        // A long pause refills up to the burst, no further.
        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(admission.TryAdmit(caller).Admitted);
        Assert.True(admission.TryAdmit(caller).Admitted);
        Assert.False(admission.TryAdmit(caller).Admitted);
    }

    [Fact]
    public void Callers_have_allowances_of_their_own()
    {
        var admission = Admission(burst: 1, perMinute: 1);

        Assert.True(admission.TryAdmit(new Caller("key:aaaa")).Admitted);
        Assert.False(admission.TryAdmit(new Caller("key:aaaa")).Admitted);
        Assert.True(admission.TryAdmit(new Caller("key:bbbb")).Admitted);
        Assert.True(admission.TryAdmit(Caller.Unattributed).Admitted);
    }

    [Fact]
    public void A_key_caller_is_named_by_its_digest_never_by_its_text()
    {
        var caller = Caller.ForKeyDigest(System.Security.Cryptography.SHA256.HashData("secret-key-123"u8));

        Assert.StartsWith("key:", caller.Id, StringComparison.Ordinal);
        Assert.Equal(4 + 24, caller.Id.Length);
        Assert.DoesNotContain("secret", caller.Id, StringComparison.Ordinal);
    }
}
