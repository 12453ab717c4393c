using CodyBatch.Core.Environments;

namespace CodyBatch.Core.Tests.Environments;

/// <summary>Private registry settings are checked at start, each problem named by its setting.</summary>
public sealed class PrivateRegistryValidatorTests
{
    [Fact]
    public void A_complete_registry_passes_and_each_bad_setting_is_named()
    {
        var good = new EgressOptions { PrivateRegistries = [new() { Name = "internal", Url = "https://npm.example.com/", Ecosystem = "npm", Token = "t0ken-value", Scope = "@acme" }] };
        var bad = new EgressOptions
        {
            PrivateRegistries =
            [
                new() { Name = "../x", Url = "https://user:pw@npm.example.com/", Ecosystem = "maven", Token = "" },
                new() { Name = "pypi", Url = "ftp://pypi.example.com/", Ecosystem = "pip", Token = "t0ken-value", Scope = "@acme" },
            ],
        };

        var validator = new PrivateRegistryValidator();
        Assert.True(validator.Validate(null, good).Succeeded);
        var failures = validator.Validate(null, bad).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("CodyBatch:Egress:PrivateRegistries:0:Name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodyBatch:Egress:PrivateRegistries:0:Url", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodyBatch:Egress:PrivateRegistries:0:Ecosystem", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodyBatch:Egress:PrivateRegistries:0:Token is missing", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodyBatch:Egress:PrivateRegistries:1:Url", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodyBatch:Egress:PrivateRegistries:1:Scope", StringComparison.Ordinal));
        Assert.Equal(6, failures.Count);
    }

    [Fact]
    public void The_home_gets_npm_pip_and_nuget_configuration_at_the_loopback_urls_and_no_credential()
    {
        var home = Directory.CreateTempSubdirectory("codybatch-registry-config").FullName;
        try
        {
            RegistryConfiguration.Write(home,
            [
                new() { Name = "npm-int", Url = "https://npm.example.com/api/npm/", Ecosystem = "npm", Token = "secret-npm-token", Scope = "@acme" },
                new() { Name = "py", Url = "https://py.example.com/simple/", Ecosystem = "pip", Token = "secret-pip-token", Username = "ci" },
                new() { Name = "feed", Url = "https://nuget.example.com/v3/index.json", Ecosystem = "nuget", Token = "secret-nuget-token", Username = "ci" },
            ]);

            var files = Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(home, f), File.ReadAllText);
            Assert.Equal("@acme:registry=http://127.0.0.1:3128/registries/npm-int/api/npm/\n", files[".npmrc"]);
            Assert.Equal("[global]\nindex-url = http://127.0.0.1:3128/registries/py/simple/\n", files[Path.Combine(".config", "pip", "pip.conf")]);
            Assert.Contains("value=\"http://127.0.0.1:3128/registries/feed/v3/index.json\"", files[Path.Combine(".nuget", "NuGet", "NuGet.Config")], StringComparison.Ordinal);
            Assert.All(files.Values, text => Assert.DoesNotContain("secret-", text, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
