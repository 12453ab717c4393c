using CodyBatch.Claude.Agent;
using CodyBatch.Claude.Bedrock;
using CodyBatch.Claude.Messages;
using CodyBatch.Claude.Models;
using CodyBatch.Claude.Pricing;
using CodyBatch.Core.Agent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CodyBatch.Claude;

/// <summary>Registers the Claude code agent.</summary>
public static class ClaudeServiceCollectionExtensions
{
    /// <summary>The agent as <see cref="ICodeAgent"/>, with <c>CodyBatch:Agent</c> options validated at start.</summary>
    public static IServiceCollection AddClaudeAgent(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ClaudeOptions>().BindConfiguration(ClaudeOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<IValidateOptions<TriageOptions>, TriageModelPriceValidator>();
        services.AddClaudeProviders();
        services.TryAddSingleton<ClaudeClientFactory>();
        services.TryAddSingleton<JobPrefixGate>();
        services.TryAddSingleton<ICodeAgent, ClaudeCodeAgent>();
        services.TryAddSingleton<BedrockModelList>();
        services.TryAddSingleton<IModelCatalog, ModelCatalog>();
        services.TryAddSingleton<IModelPriceCheck, ClaudeModelPriceCheck>();
        return services;
    }
}
