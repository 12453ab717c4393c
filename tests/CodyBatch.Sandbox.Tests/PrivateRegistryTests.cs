using System.Collections.Concurrent;
using System.Security.Cryptography;
using CodyBatch.Sandbox.Egress;
using CodyBatch.Testing.Registries;

namespace CodyBatch.Sandbox.Tests;

/// <summary>
/// Private registries: an install in the sandbox goes to a loopback URL, the host side adds the credential the
/// registry requires, and the credential is nowhere the sandbox can look (files, environment, any process's
/// environment or arguments).
/// </summary>
public sealed class PrivateRegistryTests : IAsyncLifetime
{
    private readonly RunFolders _run = new("codybatch-private-registry");
    private readonly ConcurrentQueue<EgressDecision> _decisions = new();
    private readonly string _npmToken = "npm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
    private readonly string _pipToken = "pypi-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
    private FakeNpmRegistry _npm = null!;
    private FakePackageIndex _pip = null!;

    public async Task InitializeAsync()
    {
        _npm = (await FakeNpmRegistry.StartAsync(_npmToken)).Publish("demo-pad", "1.0.0").Publish("demo-pad", "1.1.0");
        _pip = (await FakePackageIndex.StartAsync("ci", _pipToken)).Publish("demo-pad", "1.0.0");
    }

    public async Task DisposeAsync()
    {
        await _npm.DisposeAsync();
        await _pip.DisposeAsync();
        _run.Dispose();
    }

    [Fact]
    public async Task Npm_and_pip_install_from_registries_that_require_a_credential_the_sandbox_never_sees()
    {
        List<PrivateRegistry> registries =
        [
            new() { Name = "internal-npm", Url = _npm.BaseUrl + "/", Ecosystem = "npm", Token = _npmToken },
            new() { Name = "internal-pypi", Url = _pip.BaseUrl + "/simple/", Ecosystem = "pip", Username = "ci", Token = _pipToken },
        ];
        RegistryConfiguration.Write(_run.Home, registries);
        var options = new EgressOptions { AllowedDomains = [], PrivateRegistries = registries };
        using var factory = new EgressProxyFactory(Options.Create(options));
        await using var proxy = await factory.StartAsync(_run.Socket, [], _decisions.Enqueue, CancellationToken.None);
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home, new SandboxNetwork(_run.Socket, []));

        var npm = await session.RunAsync(
            "npm init -y > /dev/null && npm install --no-audit --no-fund demo-pad@1.1.0 && node -e \"console.log('npm:' + require('demo-pad').version)\" && grep -o '\"resolved\": \"[^\"]*\"' package-lock.json",
            CancellationToken.None);
        var pip = await session.RunAsync(
            "python3 -m pip install --disable-pip-version-check --no-cache-dir --target /tmp/site demo-pad==1.0.0 && PYTHONPATH=/tmp/site python3 -c 'import demo_pad; print(\"pip:\" + demo_pad.VERSION)'",
            CancellationToken.None);

        // The search is given the token in two halves, so the search itself holds it only in its own memory.
        var (a, b) = (_npmToken[..12], _npmToken[12..]);
        var (c, d) = (_pipToken[..12], _pipToken[12..]);
        var search = await session.RunAsync(
            $$"""
            pattern() { printf '%s%s\n%s%s\n' '{{a}}' '{{b}}' '{{c}}' '{{d}}'; }
            echo "files: $(grep -rlsF -f <(pattern) /tmp /repo /run /etc /var 2>/dev/null | wc -l)"
            echo "env: $(env | grep -cF -f <(pattern))"
            echo "proc: $(for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do tr '\0' '\n' 2>/dev/null < "$f"; done | grep -cF -f <(pattern))"
            printf '%s%s' 'ctl-' 'marker' > /tmp/control.txt; echo "control: $(grep -rlsF -f <(printf '%s%s\n' 'ctl-' 'marker') /tmp /repo /run /etc /var 2>/dev/null | wc -l)"
            echo "config: $(cat /tmp/.npmrc /tmp/.config/pip/pip.conf | tr '\n' ' ')"
            """,
            CancellationToken.None);

        Assert.True(npm.ExitCode == 0, npm.Output);
        Assert.Contains("npm:1.1.0", npm.Output, StringComparison.Ordinal);
        Assert.Contains("\"resolved\": \"http://127.0.0.1:3128/registries/internal-npm/demo-pad/-/demo-pad-1.1.0.tgz\"", npm.Output, StringComparison.Ordinal);
        Assert.True(pip.ExitCode == 0, pip.Output);
        Assert.Contains("pip:1.0.0", pip.Output, StringComparison.Ordinal);
        Assert.Contains(_npm.Requests, r => r.Path.EndsWith("demo-pad-1.1.0.tgz", StringComparison.Ordinal) && r.Authorized);
        Assert.Contains(_pip.Requests, r => r.Path.EndsWith(".whl", StringComparison.Ordinal) && r.Authorized);
        Assert.All(_npm.Requests, r => Assert.True(r.Authorized, r.Path));
        Assert.All(_pip.Requests, r => Assert.True(r.Authorized, r.Path));
        Assert.True(search.ExitCode == 0, search.Output);
        Assert.Contains("files: 0\nenv: 0\nproc: 0\ncontrol: 1\n", search.Output, StringComparison.Ordinal);
        Assert.Contains("config: registry=http://127.0.0.1:3128/registries/internal-npm/ [global] index-url = http://127.0.0.1:3128/registries/internal-pypi/simple/", search.Output, StringComparison.Ordinal);
        foreach (var output in new[] { npm.Output, pip.Output, search.Output })
        {
            Assert.DoesNotContain(_npmToken, output, StringComparison.Ordinal);
            Assert.DoesNotContain(_pipToken, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_path_that_climbs_out_of_the_registry_or_names_no_registry_is_refused_and_the_credential_is_never_sent_elsewhere()
    {
        List<PrivateRegistry> registries = [new() { Name = "internal-npm", Url = _npm.BaseUrl + "/", Ecosystem = "npm", Token = _npmToken }];
        using var factory = new EgressProxyFactory(Options.Create(new EgressOptions { AllowedDomains = [], PrivateRegistries = registries }));
        await using var proxy = await factory.StartAsync(_run.Socket, [], _decisions.Enqueue, CancellationToken.None);
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home, new SandboxNetwork(_run.Socket, []));

        var result = await session.RunAsync(
            "curl -sS --path-as-is http://127.0.0.1:3128/registries/internal-npm/../../x; echo; curl -sS http://127.0.0.1:3128/registries/internal-npm/%2e%2e/x; echo; curl -sS http://127.0.0.1:3128/registries/other/x; echo; curl -sS -H 'Authorization: Bearer stolen' http://127.0.0.1:3128/registries/internal-npm/demo-pad",
            CancellationToken.None);

        Assert.Contains("leaves the private registry internal-npm", result.Output, StringComparison.Ordinal);
        Assert.Contains("no private registry is named \"other\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"demo-pad\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:3128/registries/internal-npm/demo-pad/-/demo-pad-1.1.0.tgz", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(_npm.Requests, r => r.Path.Contains("..", StringComparison.Ordinal) || r.Path.EndsWith("/x", StringComparison.Ordinal));
        Assert.All(_npm.Requests, r => Assert.True(r.Authorized, r.Path));
    }

    [Fact]
    public async Task A_publish_or_any_other_change_sent_to_a_private_registry_never_goes_with_the_servers_credential()
    {
        List<PrivateRegistry> registries = [new() { Name = "internal-npm", Url = _npm.BaseUrl + "/", Ecosystem = "npm", Token = _npmToken }];
        RegistryConfiguration.Write(_run.Home, registries);
        using var factory = new EgressProxyFactory(Options.Create(new EgressOptions { AllowedDomains = [], PrivateRegistries = registries }));
        await using var proxy = await factory.StartAsync(_run.Socket, [], _decisions.Enqueue, CancellationToken.None);
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home, new SandboxNetwork(_run.Socket, []));

        // A hostile setup gives npm a made-up token (the proxy drops it) so that npm sends the publish at all, then tries
        // the registry's other changing requests by hand.
        var result = await session.RunAsync(
            """
            mkdir -p /tmp/app && cd /tmp/app && npm init -y > /dev/null
            if npm install --no-fund demo-pad@1.1.0 > /tmp/install.log 2>&1; then echo "install with audit passed"; else cat /tmp/install.log; fi
            mkdir -p /tmp/pub && cd /tmp/pub && npm init -y > /dev/null
            echo '//127.0.0.1:3128/registries/internal-npm/:_authToken=made-up' > .npmrc
            if npm publish --no-audit > /tmp/publish.log 2>&1; then echo "publish passed"; else echo "publish failed"; fi
            curl -sS -X PUT -H 'Content-Type: application/json' --data '{"name":"demo-pad","versions":{"9.9.9":{"name":"demo-pad","version":"9.9.9"}},"_attachments":{"demo-pad-9.9.9.tgz":{"data":"AA=="}}}' http://127.0.0.1:3128/registries/internal-npm/demo-pad
            curl -sS -o /dev/null -w 'post %{http_code}\n' -X POST -H 'Content-Type: application/json' --data '{}' http://127.0.0.1:3128/registries/internal-npm/-/npm/v1/security/advisories/bulk
            curl -sS -o /dev/null -w 'delete %{http_code}\n' -X DELETE http://127.0.0.1:3128/registries/internal-npm/demo-pad/-rev/1
            curl -sS -o /dev/null -w 'lower-case put %{http_code}\n' -X put --data '{}' http://127.0.0.1:3128/registries/internal-npm/demo-pad
            curl -sS -o /dev/null -w 'get with a body %{http_code}\n' -X GET --data x http://127.0.0.1:3128/registries/internal-npm/demo-pad
            curl -sS -o /dev/null -w 'get %{http_code}\n' http://127.0.0.1:3128/registries/internal-npm/demo-pad
            """,
            CancellationToken.None);

        Assert.True(result.ExitCode == 0, result.Output);
        // npm's audit after the install POSTs and is refused; npm takes that as a warning and the install passes.
        Assert.Contains("install with audit passed\npublish failed\n", result.Output, StringComparison.Ordinal);
        Assert.Equal(2, _decisions.Count(d => !d.Allowed && d.Reason!.StartsWith("POST is not forwarded", StringComparison.Ordinal)));
        Assert.Contains("PUT is not forwarded to the private registry internal-npm: its credential serves installs only (GET and HEAD)", result.Output, StringComparison.Ordinal);
        Assert.Contains("post 405\ndelete 405\nlower-case put 405\nget with a body 400\nget 200\n", result.Output, StringComparison.Ordinal);
        Assert.Empty(_npm.Published);
        Assert.NotEmpty(_npm.Requests);
        Assert.All(_npm.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains(_decisions, d => !d.Allowed && d.Reason!.StartsWith("PUT is not forwarded", StringComparison.Ordinal));
        Assert.DoesNotContain(_npmToken, result.Output, StringComparison.Ordinal);
    }
}
