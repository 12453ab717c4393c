namespace CodyBatch.Core.Tests.Checks;

public sealed class SetupInputsTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-inputs");

    [Theory]
    [InlineData("package.json")]
    [InlineData("package-lock.json")]
    [InlineData(".npmrc")]
    [InlineData("yarn.lock")]
    [InlineData(".yarnrc.yml")]
    [InlineData("pnpm-lock.yaml")]
    [InlineData("requirements-test.txt")]
    [InlineData("pylock.toml")]
    [InlineData("pyproject.toml")]
    [InlineData("go.sum")]
    [InlineData("Cargo.toml")]
    [InlineData("Directory.Packages.props")]
    [InlineData("src/App/App.csproj")]
    [InlineData("App.slnx")]
    public void A_file_setup_detection_the_caches_or_the_installed_tree_read_is_an_input(string path) => Assert.True(SetupInputs.Includes(path));

    [Theory]
    [InlineData("README.md")]
    [InlineData("src/index.js")]
    [InlineData("packages/web/package.json")]
    [InlineData("test.js")]
    [InlineData("node_modules/demo-pad/package.json")]
    public void Other_files_and_manifests_below_the_root_are_not(string path) => Assert.False(SetupInputs.Includes(path));

    [Fact]
    public void Every_root_file_setup_detection_reads_is_an_input()
    {
        foreach (var file in SetupDetector.RootFiles)
        {
            Assert.True(SetupInputs.Includes(file), file);
        }
    }

    [Fact]
    public async Task The_digest_follows_the_files_content_and_comes_back_when_it_does()
    {
        var source = _root.Combine("repo");
        TestRepository.At(source).Write("package.json", "{}\n").Write("package-lock.json", "1\n");
        var tree = await CheckTree.CreateAsync(source, _root.Combine("checks"), CancellationToken.None);
        var before = tree.Digest(["package.json", "package-lock.json"]);

        TestRepository.At(source).Write("package-lock.json", "2\n");
        var changed = tree.Digest(["package-lock.json", "package.json"]);
        File.Delete(Path.Combine(source, "package-lock.json"));
        var deleted = tree.Digest(["package.json", "package-lock.json"]);
        TestRepository.At(source).Write("package-lock.json", "1\n");

        Assert.NotEqual(before, changed);
        Assert.NotEqual(changed, deleted);
        Assert.NotEqual(before, deleted);
        Assert.Equal(before, tree.Digest(["package-lock.json", "package.json"]));
    }

    public void Dispose() => _root.Dispose();
}
