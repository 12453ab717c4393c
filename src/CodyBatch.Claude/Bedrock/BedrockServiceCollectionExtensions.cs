using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CodyBatch.Claude.Bedrock;

/// <summary>Registers the provider choice and the Bedrock client factory.</summary>
public static class BedrockServiceCollectionExtensions
{
    /// <summary><c>CodyBatch:Agent:Provider</c> and <c>CodyBatch:Agent:Bedrock</c>, validated at start.</summary>
    public static IServiceCollection AddClaudeProviders(this IServiceCollection services)
    {
        services.AddOptions<BedrockOptions>().BindConfiguration(BedrockOptions.Section);
        services.AddOptionsWithValidateOnStart<AgentProviderOptions>().BindConfiguration(AgentProviderOptions.Section);
        services.AddSingleton<IValidateOptions<AgentProviderOptions>, ProviderValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new BedrockClientFactory(
            sp.GetRequiredService<IOptions<AgentProviderOptions>>(),
            sp.GetRequiredService<IOptions<BedrockOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private sealed class ProviderValidator(IOptions<BedrockOptions> bedrock) : IValidateOptions<AgentProviderOptions>
    {
        public ValidateOptionsResult Validate(string? name, AgentProviderOptions options) =>
            AgentProviderOptions.Problem(options, bedrock.Value) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
