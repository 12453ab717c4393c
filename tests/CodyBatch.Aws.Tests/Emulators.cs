using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;

namespace CodyBatch.Aws.Tests;

/// <summary>
/// dynalite (DynamoDB) and s3rver (S3) from <c>tests/emulators</c>, started once for the test run on
/// ports the system picks. The test command installs them; without them the tests fail and say so, never skip.
/// </summary>
public sealed class Emulators : IAsyncLifetime
{
    private readonly List<Process> _processes = [];
    private readonly TempDirectory _s3Data = new("codybatch-s3rver");

    public AmazonDynamoDBClient DynamoDb { get; private set; } = null!;

    public AmazonS3Client S3 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var emulators = Path.Combine(TestEnvironment.RepositoryRoot(), "tests", "emulators");
        var modules = Path.Combine(emulators, "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "dynalite")) || !Directory.Exists(Path.Combine(modules, "s3rver")))
        {
            throw new InvalidOperationException($"The DynamoDB and S3 emulators are not installed in {modules}; run the test command (bash scripts/test.sh), which installs them with npm.");
        }

        // Each emulator binds port 0 and says which port it got once it listens: no port picked
        // beforehand that another process could take, and no polling for the listener.
        var start = Path.Combine(emulators, "start.js");
        var dynamoPort = await StartAsync(start, "dynalite");
        var s3Port = await StartAsync(start, "s3rver", _s3Data.Path);
        // s3rver accepts only its own default key pair.
        var credentials = new BasicAWSCredentials("S3RVER", "S3RVER");
        DynamoDb = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig { ServiceURL = $"http://127.0.0.1:{dynamoPort}", AuthenticationRegion = "us-east-1" });
        S3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = $"http://127.0.0.1:{s3Port}", ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
    }

    public Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        DynamoDb?.Dispose();
        S3?.Dispose();
        _s3Data.Dispose();
        return Task.CompletedTask;
    }

    private async Task<int> StartAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start; install Node.js.");
        _processes.Add(process);
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("listening ", StringComparison.Ordinal))
            {
                port.TrySetResult(int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (e.Data is null)
            {
                port.TrySetException(new InvalidOperationException($"The {arguments[0]} emulator ended before it listened: {string.Join(" ", errors)}"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                errors.Enqueue(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return await port.Task.Expect($"The {arguments[0]} emulator listening");
    }
}

[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<Emulators>
{
    public const string Name = "AWS emulators";
}
