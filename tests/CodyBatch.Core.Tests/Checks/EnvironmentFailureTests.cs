namespace CodyBatch.Core.Tests.Checks;

/// <summary>Environment failures told from failures of the repository's own, and the cause of a failure in one line.</summary>
public sealed class EnvironmentFailureTests
{
    private static CheckResult Failed(string command, int exitCode, string output) => new() { Name = command, Command = command, ExitCode = exitCode, Output = output };

    [Theory]
    [InlineData("npm test", 1, "> app@1.0.0 test\n> mocha\n\nsh: 1: mocha: not found\n", "mocha not found: no toolchain root provides it")]
    [InlineData("cargo test", 127, "bash: line 1: cargo: command not found\n", "cargo not found: no toolchain root provides it")]
    [InlineData("go test ./...", 127, "", "go not found: no toolchain root provides it")]
    [InlineData("./run.sh", 127, "/usr/bin/env: 'python': No such file or directory\n", "python not found: no toolchain root provides it")]
    [InlineData("python3 -m pytest", 1, "E   ModuleNotFoundError: No module named 'requests'\n", "the Python module `requests` is not installed")]
    [InlineData("node --test", 1, "Error: Cannot find module 'lodash'\nRequire stack:\n", "the Node package `lodash` is not installed")]
    [InlineData("npm ci", 1, "npm ERR! code ECONNREFUSED\nnpm ERR! errno ECONNREFUSED\n", "a package registry or other host could not be reached (ECONNREFUSED")]
    [InlineData("pip install -r requirements.txt", 1, "WARNING: Retrying ... Failed to establish a new connection: [Errno 111] Connection refused\n", "a package registry or other host could not be reached (Failed to establish")]
    [InlineData("dotnet restore", 1, "error NU1301: Unable to load the service index for source https://api.nuget.org/v3/index.json.\n", "a package registry or other host could not be reached (Unable to load the service index")]
    [InlineData("npm ci", 1, "npm error code E503\nnpm error 503 Service Unavailable - GET http://registry.test/demo-pad/-/demo-pad-2.0.0.tgz\n", "a package registry answered with a server error (npm error 503 Service Unavailable - GET http://registry.test/")]
    [InlineData("pip install -r requirements.txt", 1, "ERROR: HTTP error 503 while getting https://files.example/demo_pad-2.0.0-py3-none-any.whl\n", "a package registry answered with a server error (HTTP error 503 while getting")]
    [InlineData("dotnet restore", 1, "error NU1301: Response status code does not indicate success: 502 (Bad Gateway).\n", "a package registry answered with a server error (Response status code does not indicate success: 502")]
    [InlineData("dotnet test", 1, "A compatible .NET SDK was not found.\n", "the runtime the repository needs is not installed here (A compatible .NET SDK was not found")]
    public void A_failure_of_the_environment_says_what_is_missing(string command, int exitCode, string output, string reason)
    {
        var result = Failed(command, exitCode, output);

        Assert.StartsWith(reason, EnvironmentFailure.Reason(result), StringComparison.Ordinal);
        Assert.Equal(EnvironmentFailure.Reason(result), EnvironmentFailure.Cause(result));
    }

    [Fact]
    public void A_failing_test_is_no_environment_failure_and_its_cause_is_its_last_line_that_says_something()
    {
        var result = Failed("python3 -m unittest", 1, "F\n======\nFAIL: test_adds\nAssertionError: -1 != 5\n\n----\nFAILED (failures=1)\n\n");
        var relative = Failed("node --test", 1, "Error: Cannot find module './calc'\n");
        var passed = Failed("npm test", 0, "sh: 1: mocha: not found\n");
        var limited = new CheckResult { Name = "x", Command = "x", Limit = "stopped at the time limit of 2 s (CodyBatch:Checks:Timeout)" };

        Assert.Null(EnvironmentFailure.Reason(result));
        Assert.Equal("AssertionError: -1 != 5", EnvironmentFailure.Cause(result));
        Assert.Null(EnvironmentFailure.Reason(relative));
        Assert.Null(EnvironmentFailure.Reason(passed));
        Assert.Null(EnvironmentFailure.Cause(passed));
        Assert.Null(EnvironmentFailure.Reason(limited));
        Assert.Equal("stopped at the time limit of 2 s (CodyBatch:Checks:Timeout)", EnvironmentFailure.Cause(limited));
    }
}
