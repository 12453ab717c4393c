using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CodyBatch.Problems;

/// <summary>
/// Turns exceptions into problem details: a bad request (malformed JSON, a wrong type, a body
/// too large) says what to fix, with the offending field; anything else is a 500 without a
/// stack trace.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read" };
            if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                problem.Title = "Request body too large";
                var maximum = httpContext.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                    ?? ProblemsExtensions.MaxRequestBodyBytes;
                problem.Detail = $"This route reads at most {maximum:N0} bytes of request body.";
            }
            else if (FindJsonException(bad) is { } json)
            {
                // A value of the wrong type names its field; broken JSON says where it broke.
                var field = json.InnerException is JsonException ? null : FieldOf(json.Path);
                string key, message;
                if (field is not null)
                {
                    key = field;
                    message = $"\"{field}\" has the wrong type; see the API document at /openapi/v1.json.";
                }
                else
                {
                    key = "body";
                    message = json.LineNumber is { } line && json.BytePositionInLine is { } column
                        ? $"The request body is not valid JSON (line {line + 1}, byte {column + 1})."
                        : "The request body is not valid JSON.";
                }

                problem.Detail = message;
                problem.Extensions["errors"] = new Dictionary<string, string[]> { [key] = [message] };
            }
            else
            {
                problem.Detail = bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                    ? "The request needs a JSON body (Content-Type: application/json)."
                    : "The request is malformed.";
            }
        }
        else
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal error",
                Detail = "The server could not complete the request; the error is in the server log.",
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    private static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
