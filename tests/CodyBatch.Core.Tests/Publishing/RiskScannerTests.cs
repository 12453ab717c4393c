using CodyBatch.Core.Risk;

namespace CodyBatch.Core.Tests.Publishing;

public sealed class RiskScannerTests
{
    private static string Added(string path, params string[] lines) =>
        $"diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n--- a/{path}\n+++ b/{path}\n@@ -1,1 +1,{lines.Length + 1} @@\n context line\n"
        + string.Concat(lines.Select(l => "+" + l + "\n"));

    // Built at run time so this file holds no string a secret scanner would stop.
    private static readonly string AwsKey = "AKIA" + "Z7Q2X4RTY6UP3KLM";

    [Theory]
    [InlineData("aws_access_key_id = {AWS}", "AWS access key ID")]
    [InlineData("token: ghp_{36}", "GitHub token")]
    [InlineData("GH=github_pat_{36}", "GitHub fine-grained token")]
    [InlineData("SLACK=xoxb-{12}", "Slack token")]
    [InlineData("key = \"sk-ant-api03-{36}\"", "Anthropic API key")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----", "private key")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----", "private key")]
    [InlineData("-----BEGIN PRIVATE KEY-----", "private key")]
    [InlineData("client_secret = \"Xq8vT2mLp9ZrK4wN7sB1\"", "high-entropy value assigned to client_secret")]
    [InlineData("const blob = 'q7W9eR2tY5uI8oP1aS4dF6gH3jK0lZxCvBnM2QwE';", "high-entropy value in an assignment")]
    public void Added_secrets_are_found_with_file_and_line(string line, string kind)
    {
        var text = line.Replace("{AWS}", AwsKey, StringComparison.Ordinal)
            .Replace("{36}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", StringComparison.Ordinal)
            .Replace("{12}", "123456789012", StringComparison.Ordinal);

        var report = RiskScanner.Scan(Added("config/settings.py", "first = 1", text));

        var secret = Assert.Single(report.Secrets);
        Assert.Equal(kind, secret.Kind);
        Assert.Equal("config/settings.py", secret.Path);
        Assert.Equal(3, secret.Line);
        Assert.DoesNotContain(text.Length > 12 ? text[^8..] : text, report.SecretNotice(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password = \"changeme\"")]
    [InlineData("api_key = \"your-api-key-goes-here\"")]
    [InlineData("commit = \"3f786850e387550fdab836ed7e6dc881de23001b\"")]
    [InlineData("id = \"123e4567-e89b-12d3-a456-426614174000\"")]
    [InlineData("token: ${{ secrets.GITHUB_TOKEN }}")]
    [InlineData("var configurationBuilderFactoryName = createDefaultConfiguration();")]
    [InlineData("url = \"https://example.com/some/long/path/to/a/resource\"")]
    public void Ordinary_lines_are_not_secrets(string line) =>
        Assert.Empty(RiskScanner.Scan(Added("app.py", line)).Secrets);

    [Fact]
    public void Removed_and_context_lines_are_not_read_for_secrets()
    {
        var patch = $"diff --git a/a.env b/a.env\n--- a/a.env\n+++ b/a.env\n@@ -1,2 +1,1 @@\n-KEY={AwsKey}\n KEEP={AwsKey}\n";

        Assert.Empty(RiskScanner.Scan(patch).Secrets);
    }

    [Theory]
    [InlineData(".github/workflows/ci.yml", "CI workflow")]
    [InlineData(".gitlab-ci.yml", "CI workflow")]
    [InlineData(".circleci/config.yml", "CI workflow")]
    [InlineData("Jenkinsfile", "CI workflow")]
    [InlineData("package-lock.json", "lock file")]
    [InlineData("web/yarn.lock", "lock file")]
    [InlineData("go.sum", "lock file")]
    [InlineData("Cargo.lock", "lock file")]
    [InlineData("package.json", "dependency manifest")]
    [InlineData("src/App/App.csproj", "dependency manifest")]
    [InlineData("requirements-dev.txt", "dependency manifest")]
    [InlineData("pyproject.toml", "dependency manifest")]
    [InlineData("Dockerfile", "Dockerfile")]
    [InlineData("deploy/Dockerfile.prod", "Dockerfile")]
    [InlineData("docker-compose.yml", "Dockerfile")]
    [InlineData(".husky/pre-commit", "git hook")]
    [InlineData(".githooks/pre-push", "git hook")]
    [InlineData(".pre-commit-config.yaml", "git hook")]
    public void Risky_files_are_flagged(string path, string kind)
    {
        var flag = Assert.Single(RiskScanner.Scan(Added(path, "x")).Flags);

        Assert.Equal(kind, flag.Kind);
        Assert.Equal(path, flag.Path);
    }

    [Theory]
    [InlineData("src/app.ts")]
    [InlineData("README.md")]
    [InlineData("docs/workflows.md")]
    [InlineData("src/package.json.md")]
    public void Ordinary_files_are_not_flagged(string path) =>
        Assert.Empty(RiskScanner.Scan(Added(path, "x")).Flags);

    [Fact]
    public void Deleted_and_renamed_files_count_by_both_names()
    {
        var patch = "diff --git a/Dockerfile b/Dockerfile\ndeleted file mode 100644\n--- a/Dockerfile\n+++ /dev/null\n@@ -1 +0,0 @@\n-FROM x\n"
            + "diff --git a/old.txt b/.github/workflows/x.yml\nsimilarity index 100%\nrename from old.txt\nrename to .github/workflows/x.yml\n";

        var report = RiskScanner.Scan(patch);

        Assert.Equal(["Dockerfile: Dockerfile", "CI workflow: .github/workflows/x.yml"], report.Flags.Select(f => f.Describe()));
    }

    [Fact]
    public void The_same_patch_gives_the_same_report_and_the_section_names_every_file()
    {
        var patch = Added("package-lock.json", "\"x\": 1") + Added(".github/workflows/ci.yml", "on: push");

        var first = RiskScanner.Scan(patch);
        var second = RiskScanner.Scan(patch);

        Assert.Equal(first.Flags, second.Flags);
        var section = first.WhyFlaggedSection();
        Assert.StartsWith("## Why this is flagged", section, StringComparison.Ordinal);
        Assert.Contains("- lock file: `package-lock.json`", section, StringComparison.Ordinal);
        Assert.Contains("- CI workflow: `.github/workflows/ci.yml`", section, StringComparison.Ordinal);
        Assert.Contains("`codybatch:review-carefully`", section, StringComparison.Ordinal);
    }
}
