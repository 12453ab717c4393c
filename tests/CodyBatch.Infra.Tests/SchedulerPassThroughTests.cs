using System.Diagnostics;
using System.Net;
using System.Text;

namespace CodyBatch.Infra.Tests;

/// <summary>
/// The EventBridge Scheduler → Lambda Web Adapter → <c>POST /events/schedules</c> path, in the response-streaming mode the
/// function runs in: the real <c>codybatch serve</c> is started with the function's own settings from the synthesized
/// template (its store swapped for the local one), the schedule's input goes through the adapter's pass-through as the
/// adapter's source describes it, and the streamed answer is read back as Lambda reads it.
/// </summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class SchedulerPassThroughTests(SynthesizedStack stack) : IDisposable
{
    private const string ApiKey = "scheduler-pass-through-test-key";
    private readonly TempDirectory _data = new("codybatch-lwa");

    public void Dispose() => _data.Dispose();

    private JsonObject ApiVariables => stack.Resources("AWS::Lambda::Function")
        .Single(f => f["Properties"]!["PackageType"]?.GetValue<string>() == "Image")["Properties"]!["Environment"]!["Variables"]!.AsObject();

    private JsonNode ScheduleTarget => stack.Resources("AWS::Scheduler::Schedule").Single()["Properties"]!["Target"]!;

    [Fact]
    public async Task A_scheduled_invocation_reaches_the_schedules_route_and_streams_back_a_success_without_an_api_key()
    {
        var variables = ApiVariables;
        Assert.Equal("response_stream", variables["AWS_LWA_INVOKE_MODE"]!.GetValue<string>());
        await using var host = await ApiHost.StartAsync(variables, _data.Path);
        var adapter = new LambdaWebAdapterPassThrough(host.Client, variables["AWS_LWA_PASS_THROUGH_PATH"]!.GetValue<string>(), variables["AWS_LWA_INVOKE_MODE"]!.GetValue<string>());

        var streamed = await adapter.InvokeAsync(ScheduleTarget["Input"]!.GetValue<string>(), Guid.NewGuid().ToString(), "arn:aws:lambda:eu-west-1:123456789012:function:Api");

        // A 2xx is a successful invocation for Lambda (the adapter fails it only for AWS_LWA_ERROR_STATUS_CODES, unset here).
        Assert.False(variables.ContainsKey("AWS_LWA_ERROR_STATUS_CODES"));
        Assert.Equal(200, streamed.StatusCode);
        Assert.Equal("application/json", LambdaWebAdapterPassThrough.ContentType(streamed)?.MediaType);
        var body = JsonNode.Parse(Encoding.UTF8.GetString(streamed.Body))!;
        Assert.NotNull(body["firings"]!.AsArray());
    }

    [Fact]
    public async Task The_same_route_from_an_http_event_needs_the_api_key()
    {
        var variables = ApiVariables;
        await using var host = await ApiHost.StartAsync(variables, _data.Path);

        // A function URL request carries its own request context: it is no pass-through, whatever its path.
        using var request = new HttpRequestMessage(HttpMethod.Post, variables["AWS_LWA_PASS_THROUGH_PATH"]!.GetValue<string>());
        request.Headers.TryAddWithoutValidation("x-amzn-request-context", """{"accountId":"anonymous","http":{"method":"POST","path":"/events/schedules"}}""");
        using var refused = await host.Client.SendAsync(request);
        using var keyed = new HttpRequestMessage(HttpMethod.Post, variables["AWS_LWA_PASS_THROUGH_PATH"]!.GetValue<string>());
        keyed.Headers.Authorization = new("Bearer", ApiKey);
        using var allowed = await host.Client.SendAsync(keyed);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public void A_failed_invocation_is_not_retried_by_lambda_either_the_next_minute_picks_it_up()
    {
        var config = stack.Resources("AWS::Lambda::EventInvokeConfig").Single()["Properties"]!;

        Assert.Equal(0, config["MaximumRetryAttempts"]!.GetValue<int>());
        Assert.Equal(60, config["MaximumEventAgeInSeconds"]!.GetValue<int>());
    }

    /// <summary><c>codybatch serve</c> as a process with the function's CodyBatch settings; the local store instead of DynamoDB.</summary>
    private sealed class ApiHost : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private ApiHost(Process process, HttpClient client)
        {
            _process = process;
            Client = client;
        }

        public HttpClient Client { get; }

        public static async Task<ApiHost> StartAsync(JsonObject variables, string data)
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var entry = Path.Combine(TestEnvironment.RepositoryRoot(), "src", "CodyBatch", "bin", here.Parent!.Name, here.Name, "codybatch.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { entry, "serve", "--urls", "http://127.0.0.1:0" })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in variables)
            {
                if (name.StartsWith("CodyBatch__", StringComparison.Ordinal) && !name.StartsWith("CodyBatch__Aws__", StringComparison.Ordinal) && name != "CodyBatch__Storage__Provider")
                {
                    start.Environment[name] = value!.GetValue<string>();
                }
            }

            start.Environment["CodyBatch__DataDirectory"] = data;

            // On AWS the key comes from SSM at start (CodyBatch__Aws__Secrets); here it is set directly.
            start.Environment["CodyBatch__ApiKeys__0"] = ApiKey;
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = Process.Start(start)!;
            var host = new ApiHost(process, new HttpClient());
            void Line(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (host._output)
                {
                    host._output.AppendLine(line);
                }

                if (line.Contains("Now listening on: ", StringComparison.Ordinal))
                {
                    listening.TrySetResult(new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim()));
                }
            }

            process.OutputDataReceived += (_, e) => Line(e.Data);
            process.ErrorDataReceived += (_, e) => Line(e.Data);
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("serve exited before it listened."));
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                host.Client.BaseAddress = await listening.Task.WaitAsync(HangGuard.Limit);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                await host.DisposeAsync();
                throw new Xunit.Sdk.XunitException($"serve did not start ({e.Message}):\n{host._output}");
            }

            // The adapter's readiness check: the function's health path answers below 500 before any event is passed on.
            using var ready = await host.Client.GetAsync(variables["AWS_LWA_READINESS_CHECK_PATH"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            return host;
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
