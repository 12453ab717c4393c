namespace CodyBatch.Core.Tests.Checks;

public sealed class CheckDetectorTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-detect");

    private TestRepository Repository => TestRepository.At(_root.Path);

    [Fact]
    public void The_jobs_checks_override_the_file_and_detection_and_an_empty_list_means_none()
    {
        Repository.Write("package.json", """{ "scripts": { "test": "node --test" } }""")
            .Write(".codybatch/checks.json", """{ "checks": ["make lint"] }""");

        var fromJob = CheckDetector.Plan(["python3 -m unittest", "npm run lint"], _root.Path);
        var none = CheckDetector.Plan([], _root.Path);

        Assert.Equal("the job", fromJob.Source);
        Assert.Equal(["python3 -m unittest", "npm run lint"], fromJob.Checks.Select(c => c.Command));
        Assert.Empty(fromJob.Setup);
        Assert.Empty(none.Checks);
        Assert.Equal("none: the job asked for no checks", none.Source);
    }

    [Fact]
    public void The_repositorys_checks_file_gives_setup_and_named_checks()
    {
        Repository.Write("package.json", """{ "scripts": { "test": "node --test" } }""")
            .Write(".codybatch/checks.json", """
                {
                  // comments are allowed
                  "setup": ["npm ci"],
                  "checks": ["npm test", { "name": "lint", "command": "npm run lint -- --max-warnings 0" }]
                }
                """);

        var plan = CheckDetector.Plan(null, _root.Path);

        Assert.Equal(".codybatch/checks.json", plan.Source);
        Assert.Equal(["npm ci"], plan.Setup);
        Assert.Equal([new CheckDefinition("npm test", "npm test"), new CheckDefinition("lint", "npm run lint -- --max-warnings 0")], plan.Checks);
        Assert.Null(plan.Problem);
        Assert.False(plan.AlwaysInstall);
    }

    [Fact]
    public void The_checks_file_may_ask_for_setup_to_always_run_also_with_detected_setup()
    {
        Repository.Write("package.json", """{ "scripts": { "test": "node --test" }, "dependencies": { "a": "1" } }""")
            .Write("package-lock.json", "{}")
            .Write(".codybatch/checks.json", """{ "alwaysInstall": true, "checks": ["npm test"] }""");

        var plan = CheckDetector.Plan(null, _root.Path);

        Assert.True(plan.AlwaysInstall);
        Assert.Equal(["npm ci --prefer-offline --no-audit --no-fund"], plan.Setup);
    }

    [Theory]
    [InlineData("[1, 2]", "the file must hold a JSON object")]
    [InlineData("""{ "checks": "npm test" }""", "\"checks\" must be an array")]
    [InlineData("""{ "checks": [""] }""", "each entry of \"checks\" must be a non-empty command line")]
    [InlineData("""{ "setup": "npm ci", "checks": [] }""", "\"setup\" must be an array of command lines")]
    [InlineData("""{ "checks": [ { "name": "a", "command": "x" }, { "name": "a", "command": "y" } ] }""", "each check needs its own name")]
    [InlineData("{ not json", "it is not valid JSON")]
    [InlineData("""{ "alwaysInstall": "yes", "checks": [] }""", "\"alwaysInstall\" must be true or false")]
    public void A_bad_checks_file_means_no_checks_and_a_sentence_saying_what_is_wrong(string content, string problem)
    {
        Repository.Write(".codybatch/checks.json", content).Write("package.json", """{ "scripts": { "test": "node --test" } }""");

        var plan = CheckDetector.Plan(null, _root.Path);

        Assert.Empty(plan.Checks);
        Assert.StartsWith(".codybatch/checks.json cannot be used, so no checks ran: ", plan.Problem, StringComparison.Ordinal);
        Assert.Contains(problem, plan.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Detection_covers_each_ecosystem_in_a_fixed_order()
    {
        Repository.Write("Makefile", "build:\n\tcc main.c\ntest: build\n\t./run-tests\n")
            .Write("go.mod", "module example.com/x\n")
            .Write("Cargo.toml", "[package]\nname = \"x\"\n")
            .Write("App.sln", "")
            .Write("pyproject.toml", "[project]\nname = \"x\"\n")
            .Write("package.json", """{ "scripts": { "test": "vitest run" } }""");

        var plan = CheckDetector.Plan(null, _root.Path);
        var again = CheckDetector.Plan(null, _root.Path);

        Assert.Equal("detected from package.json, pyproject.toml, go.mod, Cargo.toml, App.sln, Makefile", plan.Source);
        Assert.Equal(["npm test", "python3 -m pytest", "go test ./...", "cargo test", "dotnet test", "make test"], plan.Checks.Select(c => c.Command));
        Assert.Equal(plan.Checks, again.Checks);
    }

    [Fact]
    public void A_tests_folder_of_unittest_files_is_detected_as_unittest()
    {
        Repository.Write("calc.py", "def add(a, b):\n    return a + b\n").Write("tests/test_calc.py", "import unittest\n");

        var plan = CheckDetector.Plan(null, _root.Path);

        Assert.Equal("detected from tests/", plan.Source);
        Assert.Equal([new CheckDefinition("unittest", "python3 -m unittest discover -s tests")], plan.Checks);
    }

    [Fact]
    public void Nothing_to_detect_and_npms_placeholder_script_mean_no_checks()
    {
        Repository.Write("README.md", "# x\n")
            .Write("package.json", """{ "scripts": { "test": "echo \"Error: no test specified\" && exit 1" } }""")
            .Write("Makefile", "all:\n\tcc main.c\n");

        var plan = CheckDetector.Plan(null, _root.Path);

        Assert.Empty(plan.Checks);
        Assert.Equal("none found: no checks file, and nothing in the repository's files to detect", plan.Source);
    }

    [Fact]
    public async Task Links_out_devices_and_fifos_end_detection_at_once_with_the_reason()
    {
        using var hostile = new HostileLinks();
        File.WriteAllText(Path.Combine(hostile.Victim, "dir", "test_steal.py"), "import unittest\n");
        Repository.Symlink("package.json", "/dev/zero").Symlink("tests", Path.Combine(hostile.Victim, "dir")).Symlink("Makefile", "x/../../../../etc/passwd");
        await Fifo.MakeAsync(Path.Combine(_root.Path, "pyproject.toml"));
        await Fifo.MakeAsync(Path.Combine(_root.Path, "go.mod"));

        var plan = CheckDetector.Plan(null, _root.Path);

        Assert.Empty(plan.Checks);
        Assert.Contains("./package.json leads outside the repository through the symbolic link ./package.json (to /dev/zero)", plan.Problem, StringComparison.Ordinal);
        Assert.Contains("./tests leads outside the repository", plan.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checks_file_that_links_out_or_is_a_fifo_is_refused_with_the_reason()
    {
        using var hostile = new HostileLinks();
        Repository.Symlink(".codybatch/checks.json", Path.Combine(hostile.Victim, "secret.txt"));

        var linked = CheckDetector.Plan(null, _root.Path);
        File.Delete(Path.Combine(_root.Path, ".codybatch", "checks.json"));
        await Fifo.MakeAsync(Path.Combine(_root.Path, ".codybatch", "checks.json"));
        var fifo = CheckDetector.Plan(null, _root.Path);

        Assert.Empty(linked.Checks);
        Assert.StartsWith(".codybatch/checks.json cannot be used, so no checks ran: ./.codybatch/checks.json leads outside the repository", linked.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(hostile.Secret, linked.Problem, StringComparison.Ordinal);
        Assert.Contains("is a special file", fifo.Problem, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Dispose();
}
