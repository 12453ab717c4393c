using CodyBatch.Core.Admission;

namespace CodyBatch.Security;

/// <summary>
/// The job rate limit on every route that starts a job (create, re-run, retry): one allowance per
/// authenticated caller, shared with the firings of the schedules that caller created. A refused
/// request gets 429 with <c>Retry-After</c> and problem details.
/// </summary>
internal static class JobAdmissionFilter
{
    public static RouteHandlerBuilder StartsJobs(this RouteHandlerBuilder route) =>
        route.ProducesProblem(StatusCodes.Status429TooManyRequests).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var result = http.RequestServices.GetRequiredService<IJobAdmission>().TryAdmit(Callers.Of(http));
            if (result.Admitted)
            {
                return await next(context);
            }

            var settings = http.RequestServices.GetRequiredService<IOptions<JobRateLimitOptions>>().Value;
            var seconds = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many jobs",
                detail: $"This API key may start {settings.Burst} jobs at once and {settings.JobsPerMinute} per minute, counting new jobs, re-runs, retries and its schedules' firings (CodyBatch:RateLimit); try again in {seconds} seconds.");
        });
}
