namespace CodyBatch.Infra;

/// <summary>
/// The CloudFront Function on the web UI's behaviour: a path without a file extension (a client-side route
/// such as <c>/jobs/01J…</c>) is served <c>/index.html</c>, so a refresh or a shared link opens the app instead
/// of S3's 403. Only the web behaviour has it: the API's errors reach the client unchanged.
/// </summary>
internal static class SpaFallback
{
    public const string Code = """
        function handler(event) {
            var request = event.request;
            var last = request.uri.split('/').pop();
            if (last.indexOf('.') === -1) {
                request.uri = '/index.html';
            }
            return request;
        }
        """;
}
