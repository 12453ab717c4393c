namespace CodyBatch.Claude.Messages;

/// <summary>
/// Keeps the retry headers of the last response in the current call flow: the SDK's exceptions
/// carry the status and body but not <c>retry-after</c>, so a handler in its pipeline records them here.
/// </summary>
internal sealed class ResponseHeaders
{
    private static readonly AsyncLocal<ResponseHeaders?> CurrentSlot = new();

    public static ResponseHeaders? Current
    {
        get => CurrentSlot.Value;
        set => CurrentSlot.Value = value;
    }

    /// <summary>How long the server asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>The handler that fills <see cref="Current"/>.</summary>
    public sealed class Capture : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Current is { } slot)
            {
                slot.RetryAfter = Parse(response);
            }

            return response;
        }

        private static TimeSpan? Parse(HttpResponseMessage response)
        {
            if (response.Headers.TryGetValues("retry-after-ms", out var ms) && double.TryParse(ms.FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var milliseconds))
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }

            return response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
                _ => null,
            };
        }
    }
}
