using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using CodyBatch.Testing;

namespace CodyBatch.Aws.Tests;

/// <summary>
/// dynalite (DynamoDB) and s3rver (S3) from <c>tests/emulators</c>, started once for the test run on
/// free ports. The test command installs them; without them the tests fail and say so, never skip.
/// </summary>
public sealed class Emulators : IAsyncLifetime
{
    private readonly List<Process> _processes = [];
    private readonly TempDirectory _s3Data = new("codybatch-s3rver");

    public AmazonDynamoDBClient DynamoDb { get; private set; } = null!;

    public AmazonS3Client S3 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var modules = Path.Combine(TestEnvironment.RepositoryRoot(), "tests", "emulators", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "dynalite")) || !Directory.Exists(Path.Combine(modules, "s3rver")))
        {
            throw new InvalidOperationException($"The DynamoDB and S3 emulators are not installed in {modules}; run the test command (bash scripts/test.sh), which installs them with npm.");
        }

        var dynamoPort = TestEnvironment.FreePort();
        var s3Port = TestEnvironment.FreePort();
        Start(Path.Combine(modules, "dynalite", "cli.js"), "--host", "127.0.0.1", "--port", dynamoPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
        Start(Path.Combine(modules, "s3rver", "bin", "s3rver.js"), "--address", "127.0.0.1", "--port", s3Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", _s3Data.Path, "--silent");
        // s3rver accepts only its own default key pair.
        var credentials = new BasicAWSCredentials("S3RVER", "S3RVER");
        DynamoDb = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig { ServiceURL = $"http://127.0.0.1:{dynamoPort}", AuthenticationRegion = "us-east-1" });
        S3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = $"http://127.0.0.1:{s3Port}", ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await WaitAsync(dynamoPort);
        await WaitAsync(s3Port);
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

    private void Start(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start; install Node.js.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    private static async Task WaitAsync(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"An emulator did not start listening on port {port}.");
    }
}

[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<Emulators>
{
    public const string Name = "AWS emulators";
}
