using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace CodyBatch.Aws.Tests.Secrets;

/// <summary>
/// SSM's GetParameters as its API reference describes it: the AWS JSON 1.1 protocol (POST /, X-Amz-Target
/// AmazonSSM.GetParameters, application/x-amz-json-1.1), a SigV4-signed request, names it does not hold listed in
/// InvalidParameters, errors as a <c>__type</c> body with status 400. Any other call fails the test.
/// </summary>
public sealed class FakeSsm : IAsyncDisposable
{
    private readonly Dictionary<string, string> _secureStrings;
    private WebApplication _app = null!;

    private FakeSsm(Dictionary<string, string> secureStrings) => _secureStrings = secureStrings;

    public string Url { get; private set; } = null!;

    public List<JsonObject> Requests { get; } = [];

    public List<string> Problems { get; } = [];

    /// <summary>Answers every call with AccessDeniedException, as for a role without ssm:GetParameters.</summary>
    public bool DenyAccess { get; set; }

    public static async Task<FakeSsm> StartAsync(Dictionary<string, string> secureStrings)
    {
        var fake = new FakeSsm(secureStrings);
        (fake._app, fake.Url) = await LocalServer.StartAsync(app => app.MapPost("/", (Delegate)fake.HandleAsync));
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (request.Headers["X-Amz-Target"] != "AmazonSSM.GetParameters")
        {
            Problems.Add($"unexpected operation {request.Headers["X-Amz-Target"]}");
            return Error(400, "UnknownOperationException", "Unknown operation.");
        }

        if (!request.ContentType!.StartsWith("application/x-amz-json-1.1", StringComparison.Ordinal)
            || !authorization.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal)
            || !authorization.Contains("/ssm/aws4_request", StringComparison.Ordinal)
            || !authorization.Contains("SignedHeaders=", StringComparison.Ordinal)
            || !authorization.Contains("Signature=", StringComparison.Ordinal)
            || string.IsNullOrEmpty(request.Headers["X-Amz-Date"]))
        {
            Problems.Add($"unsigned or malformed request: {authorization}");
            return Error(400, "IncompleteSignatureException", "The request signature is missing.");
        }

        var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        Requests.Add(body);
        if (DenyAccess)
        {
            return Error(400, "AccessDeniedException", "User is not authorized to perform: ssm:GetParameters");
        }

        var names = body["Names"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        if (names.Count is 0 or > 10)
        {
            return Error(400, "ValidationException", "Names must have between 1 and 10 members.");
        }

        var decrypt = body["WithDecryption"]?.GetValue<bool>() == true;
        var response = new JsonObject
        {
            ["Parameters"] = new JsonArray([.. names.Where(_secureStrings.ContainsKey).Select(name => (JsonNode)new JsonObject
            {
                ["ARN"] = $"arn:aws:ssm:eu-west-1:123456789012:parameter{name}",
                ["DataType"] = "text",
                ["LastModifiedDate"] = 1_764_417_600.0,
                ["Name"] = name,
                ["Type"] = "SecureString",
                ["Value"] = decrypt ? _secureStrings[name] : "AQICAHh-encrypted-blob",
                ["Version"] = 1,
            })]),
            ["InvalidParameters"] = new JsonArray([.. names.Where(n => !_secureStrings.ContainsKey(n)).Select(n => (JsonNode)n)]),
        };
        return Results.Text(response.ToJsonString(), "application/x-amz-json-1.1");
    }

    private static IResult Error(int status, string type, string message) =>
        Results.Text(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }), "application/x-amz-json-1.1", statusCode: status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
