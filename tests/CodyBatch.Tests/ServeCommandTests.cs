using CodyBatch.Hosting;

namespace CodyBatch.Tests;

public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://192.168.1.10:5080")]
    public void Without_api_keys_the_server_refuses_addresses_beyond_loopback(string url)
    {
        var refused = Assert.Throws<StartupRefusedException>(() => CodyBatchServer.Build(["--urls", url]));

        Assert.Contains("CodyBatch:ApiKeys", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    public async Task Loopback_addresses_need_no_keys(string url)
    {
        await using var app = CodyBatchServer.Build(["--urls", url]);
    }

    [Fact]
    public async Task With_api_keys_any_address_is_allowed()
    {
        await using var app = CodyBatchServer.Build(["--urls", "http://0.0.0.0:5080", "--CodyBatch:ApiKeys:0", "a-long-enough-key"]);
    }

    [Fact]
    public async Task The_executable_says_why_it_refuses_and_exits_1()
    {
        using var process = HostProcess.Start(Path.Combine(AppContext.BaseDirectory, "codybatch.dll"), ["serve", "--urls", "http://0.0.0.0:0"]);

        Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.StartsWith("codybatch: ", process.Output, StringComparison.Ordinal);
        Assert.Contains("CodyBatch:ApiKeys", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_out_of_range_stops_the_start_with_its_name()
    {
        using var process = HostProcess.Start(
            Path.Combine(AppContext.BaseDirectory, "codybatch.dll"),
            ["serve", "--urls", "http://127.0.0.1:0", "--CodyBatch:Worker:Concurrency", "0", "--CodyBatch:DataDirectory", Path.GetTempPath()]);

        Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("CodyBatch:Worker:Concurrency must be between 1 and 256.", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Postgres", "CodyBatch:Storage:Provider must be Sqlite or DynamoDb, not \"Postgres\".")]
    [InlineData("DynamoDb", "CodyBatch:Aws:BucketName must name the S3 bucket for patches and threads.")]
    public async Task Storage_settings_that_cannot_work_stop_the_start_with_their_name(string provider, string expected)
    {
        using var process = HostProcess.Start(
            Path.Combine(AppContext.BaseDirectory, "codybatch.dll"),
            ["serve", "--urls", "http://127.0.0.1:0", "--CodyBatch:Storage:Provider", provider, "--CodyBatch:DataDirectory", Path.GetTempPath()]);

        Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(expected, process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.Output, StringComparison.Ordinal);
    }
}
