using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Environments;

/// <summary>Checks <c>CodyBatch:Egress:PrivateRegistries</c> at start: each with a name, an http(s) URL, a known ecosystem and a credential.</summary>
public sealed partial class PrivateRegistryValidator : IValidateOptions<EgressOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EgressOptions options)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.PrivateRegistries.Count; i++)
        {
            var registry = options.PrivateRegistries[i];
            var at = $"CodyBatch:Egress:PrivateRegistries:{i}";
            if (!Name().IsMatch(registry.Name))
            {
                problems.Add($"{at}:Name must be 1 to 40 letters, digits, '-' or '_' (it becomes part of the registry's loopback URL).");
            }
            else if (!seen.Add(registry.Name))
            {
                problems.Add($"{at}:Name \"{registry.Name}\" is used by another private registry.");
            }

            if (!Uri.TryCreate(registry.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.UserInfo))
            {
                problems.Add($"{at}:Url must be an https:// (or http://) URL without a user or password in it, such as https://npm.example.com/.");
            }

            if (registry.Ecosystem is not ("npm" or "pip" or "nuget"))
            {
                problems.Add($"{at}:Ecosystem must be npm, pip or nuget.");
            }

            if (string.IsNullOrWhiteSpace(registry.Token))
            {
                problems.Add($"{at}:Token is missing: set it from the environment (CodyBatch__Egress__PrivateRegistries__{i}__Token) or a secret store.");
            }

            if (registry.Scope is { Length: > 0 } scope && (registry.Ecosystem != "npm" || !Scope().IsMatch(scope)))
            {
                problems.Add($"{at}:Scope is for npm registries only and looks like @acme.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex Name();

    [GeneratedRegex("^@[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex Scope();
}
