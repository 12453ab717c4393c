namespace CodyBatch.Core.Tests.Checks;

/// <summary>Setup detected from lock files and manifests when neither the job nor the checks file gives one.</summary>
public sealed class SetupDetectionTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-setup-detect");

    private TestRepository Repository => TestRepository.At(_root.Path);

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("package-lock.json", "npm ci")]
    [InlineData("npm-shrinkwrap.json", "npm ci")]
    [InlineData("yarn.lock", "yarn install --frozen-lockfile")]
    [InlineData("pnpm-lock.yaml", "pnpm install --frozen-lockfile")]
    public void A_node_lock_file_names_its_package_managers_install(string lockFile, string command)
    {
        Repository.Write("package.json", """{ "scripts": { "test": "node --test" }, "dependencies": { "left-pad": "1.3.0" } }""").Write(lockFile, "{}");

        var plan = CheckDetector.Plan(null, _root.Path);

        Assert.Equal([command], plan.Setup);
        Assert.Equal($"detected from {lockFile} ({command})", plan.SetupSource);
        Assert.Equal("detected from package.json", plan.Source);
    }

    [Fact]
    public void Yarn_berry_is_immutable_and_a_manifest_without_a_lock_installs_only_when_it_lists_dependencies()
    {
        Repository.Write("package.json", """{ "scripts": { "test": "node --test" } }""");
        var nothing = CheckDetector.Plan(null, _root.Path);
        Repository.Write("package.json", """{ "scripts": { "test": "node --test" }, "devDependencies": { "mocha": "^10" } }""");
        var manifest = CheckDetector.Plan(null, _root.Path);
        Repository.Write("yarn.lock", "").Write(".yarnrc.yml", "nodeLinker: node-modules\n");
        var berry = CheckDetector.Plan(null, _root.Path);

        Assert.Empty(nothing.Setup);
        Assert.Null(nothing.SetupSource);
        Assert.Equal(["npm install --no-audit --no-fund"], manifest.Setup);
        Assert.Equal(["yarn install --immutable"], berry.Setup);
    }

    [Fact]
    public void Each_ecosystem_gets_its_install_in_a_fixed_order()
    {
        Repository.Write("requirements.txt", "requests==2.32.0\n")
            .Write("requirements-dev.txt", "pytest\n")
            .Write("test_app.py", "import unittest\n")
            .Write("App.csproj", "<Project />")
            .Write("go.mod", "module example.com/x\n")
            .Write("Cargo.toml", "[package]\nname = \"x\"\n")
            .Write("Cargo.lock", "");

        var plan = CheckDetector.Plan(null, _root.Path);

        Assert.Equal(
            [
                "PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --user --disable-pip-version-check -r requirements.txt",
                "PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --user --disable-pip-version-check -r requirements-dev.txt",
                "dotnet restore App.csproj",
                "go mod download",
                "cargo fetch",
            ],
            plan.Setup);
        Assert.StartsWith("detected from requirements.txt (PIP_BREAK_SYSTEM_PACKAGES=1 ", plan.SetupSource, StringComparison.Ordinal);
        Assert.EndsWith("App.csproj (dotnet restore App.csproj), go.mod (go mod download), Cargo.lock (cargo fetch)", plan.SetupSource, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uv.lock", "uv sync --frozen")]
    [InlineData("poetry.lock", "poetry install --no-interaction")]
    public void A_python_lock_file_wins_over_requirements(string lockFile, string command)
    {
        Repository.Write("pyproject.toml", "[tool.pytest.ini_options]\n").Write(lockFile, "").Write("requirements.txt", "x\n");

        var plan = CheckDetector.Plan(null, _root.Path);

        Assert.Equal([command], plan.Setup);
    }

    [Fact]
    public void The_jobs_checks_get_detected_setup_but_a_checks_file_with_a_setup_entry_even_empty_is_followed()
    {
        Repository.Write("package.json", """{ "dependencies": { "a": "1" } }""").Write("package-lock.json", "{}");
        var job = CheckDetector.Plan(["npm test"], _root.Path);
        Repository.Write(".codybatch/checks.json", """{ "setup": [], "checks": ["npm test"] }""");
        var emptySetup = CheckDetector.Plan(null, _root.Path);
        Repository.Write(".codybatch/checks.json", """{ "checks": ["npm test"] }""");
        var noSetupEntry = CheckDetector.Plan(null, _root.Path);
        var noChecks = CheckDetector.Plan([], _root.Path);

        Assert.Equal(["npm ci"], job.Setup);
        Assert.Empty(emptySetup.Setup);
        Assert.Null(emptySetup.SetupSource);
        Assert.Equal(["npm ci"], noSetupEntry.Setup);
        Assert.Equal("detected from package-lock.json (npm ci)", noSetupEntry.SetupSource);
        Assert.Empty(noChecks.Setup);
    }
}
