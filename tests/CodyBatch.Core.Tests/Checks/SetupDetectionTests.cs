namespace CodyBatch.Core.Tests.Checks;

/// <summary>Setup detected from lock files and manifests when neither the job nor the checks file gives one.</summary>
public sealed class SetupDetectionTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-setup-detect");

    private TestRepository Repository => TestRepository.At(_root.Path);

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("package-lock.json", "npm ci --prefer-offline --no-audit --no-fund")]
    [InlineData("npm-shrinkwrap.json", "npm ci --prefer-offline --no-audit --no-fund")]
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
        Assert.Equal(["npm install --prefer-offline --no-audit --no-fund"], manifest.Setup);
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

        Assert.Equal(["npm ci --prefer-offline --no-audit --no-fund"], job.Setup);
        Assert.Empty(emptySetup.Setup);
        Assert.Null(emptySetup.SetupSource);
        Assert.Equal(["npm ci --prefer-offline --no-audit --no-fund"], noSetupEntry.Setup);
        Assert.Equal("detected from package-lock.json (npm ci --prefer-offline --no-audit --no-fund)", noSetupEntry.SetupSource);
        Assert.Empty(noChecks.Setup);
    }

    [Theory]
    [InlineData("[project]\nname = \"app\"\ndependencies = [\"requests>=2\", \"uvicorn[standard]\"]\n", ".")]
    [InlineData("[project]\nname = \"app\"\ndependencies = [\n  # the client\n  \"requests>=2\",\n]\n[project.optional-dependencies]\ndocs = [\"sphinx\"]\n", ".")]
    [InlineData("[project]\nname = \"app\"\ndependencies = []\n[project.optional-dependencies]\ndev = [\"ruff\"]\ntest = [\n  \"pytest\",\n]\n", "'.[test]'")]
    [InlineData("[build-system]\nrequires = [\"setuptools\"]\n[project]\nname = \"app\"\ndependencies = []\n", null)]
    [InlineData("[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n", null)]
    [InlineData("[tool.other]\ndependencies = [\"not-a-project\"]\n", null)]
    public void A_pyproject_without_a_lock_or_requirements_installs_the_project_editable_when_it_lists_something(string pyproject, string? target)
    {
        Repository.Write("pyproject.toml", pyproject).Write("test_app.py", "import unittest\n");

        var plan = CheckDetector.Plan(null, _root.Path);

        if (target is null)
        {
            Assert.Empty(plan.Setup);
            return;
        }

        var command = $"PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --user --disable-pip-version-check -e {target}";
        Assert.Equal([command], plan.Setup);
        Assert.Equal($"detected from pyproject.toml ({command})", plan.SetupSource);
        Repository.Write("requirements.txt", "requests\n");
        Assert.DoesNotContain(CheckDetector.Plan(null, _root.Path).Setup, c => c.Contains("-e ", StringComparison.Ordinal));
    }
}
