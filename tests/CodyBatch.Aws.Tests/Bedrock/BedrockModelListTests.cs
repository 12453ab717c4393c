using Anthropic.Bedrock;
using CodyBatch.Claude.Agent;
using CodyBatch.Claude.Bedrock;
using CodyBatch.Claude.Messages;
using CodyBatch.Claude.Models;

namespace CodyBatch.Aws.Tests.Bedrock;

/// <summary>The model list under Bedrock: Bedrock's Anthropic models (ListFoundationModels, SigV4), or the price table, said plainly.</summary>
public sealed class BedrockModelListTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FakeBedrockRuntime _bedrock = null!;

    public async Task InitializeAsync() => _bedrock = await FakeBedrockRuntime.StartAsync();

    public async Task DisposeAsync() => await _bedrock.DisposeAsync();

    private (ModelCatalog Catalog, IDisposable Owned) Catalog(string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    {
        var settings = new BedrockOptions
        {
            Region = "eu-west-1",
            BaseUrl = _bedrock.Url,
            ControlPlaneUrl = _bedrock.Url,
            Models = new(StringComparer.OrdinalIgnoreCase)
            {
                ["claude-sonnet-4-5"] = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
                ["claude-3-haiku"] = "anthropic.claude-3-haiku-20240307-v1:0",
                ["claude-opus-4-1"] = "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-opus-4-1-20250805-v1:0",
            },
        };
        var factory = new BedrockClientFactory(
            Options.Create(new AgentProviderOptions { Provider = "Bedrock" }),
            Options.Create(settings),
            _time,
            () => ValueTask.FromResult<IAnthropicBedrockCredentials?>(new AnthropicBedrockPrivateKeyCredentials { ApiAccessKey = "AKIDEXAMPLE", ApiSecret = secret, Region = "eu-west-1" }));
        var list = new BedrockModelList(factory, Options.Create(settings));
        var clients = new ClaudeClientFactory(new ConfigurationBuilder().Build(), factory);
        return (new ModelCatalog(clients, Options.Create(new ClaudeOptions()), _time, factory, list), new Owned(list, clients));
    }

    [Fact]
    public async Task The_list_is_bedrocks_anthropic_models_under_the_names_jobs_use_and_says_which_mapped_model_bedrock_lacks()
    {
        var (catalog, owned) = Catalog();
        using var _ = owned;

        var listing = await catalog.ListingAsync(CancellationToken.None);
        await catalog.ListingAsync(CancellationToken.None);

        Assert.Empty(_bedrock.Problems);
        Assert.Equal("bedrock", listing.Source);
        Assert.Equal(["claude-3-haiku", "claude-sonnet-4-5"], listing.Models.Select(m => m.Id));
        var sonnet = listing.Models.Single(m => m.Id == "claude-sonnet-4-5");
        Assert.Equal(("Claude Sonnet 4.5", 3m, 15m), (sonnet.DisplayName, sonnet.InputPerMillion, sonnet.OutputPerMillion));
        Assert.Equal("Claude 3 Haiku (legacy)", listing.Models.Single(m => m.Id == "claude-3-haiku").DisplayName);
        Assert.Equal(
            "Bedrock in eu-west-1 lists no Anthropic model for claude-opus-4-1 (arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-opus-4-1-20250805-v1:0); jobs that name it will fail until CodyBatch:Agent:Bedrock:Models maps it to a model Bedrock offers.",
            listing.Note);
        Assert.Equal(1, _bedrock.ListCalls);

        // Once Bedrock offers it, the next read (after the list's lifetime) has it.
        _bedrock.FoundationModels.Add(FakeBedrockRuntime.Summary("anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1", "Anthropic", "ACTIVE", "INFERENCE_PROFILE"));
        _time.Advance(TimeSpan.FromMinutes(11));
        var later = await catalog.ListingAsync(CancellationToken.None);
        Assert.Equal(["claude-3-haiku", "claude-opus-4-1", "claude-sonnet-4-5"], later.Models.Select(m => m.Id));
        Assert.Null(later.Note);
    }

    [Fact]
    public async Task Without_the_permission_the_list_is_the_price_tables_and_says_why()
    {
        _bedrock.DenyListFoundationModels = true;
        var (catalog, owned) = Catalog();
        using var _ = owned;

        var listing = await catalog.ListingAsync(CancellationToken.None);

        Assert.Equal("price-table", listing.Source);
        Assert.Equal(["claude-3-haiku", "claude-opus-4-1", "claude-sonnet-4-5"], listing.Models.Select(m => m.Id));
        Assert.Equal(15m, listing.Models.Single(m => m.Id == "claude-opus-4-1").InputPerMillion);
        Assert.Equal(
            "Bedrock's model list could not be read (403 AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/codybatch-api/fn is not authorized to perform: bedrock:ListFoundationModels); these are the models CodyBatch:Agent:Bedrock:Models maps, with prices from the price table.",
            listing.Note);

        // Read again after a minute, not ten: the permission may have been granted since.
        _bedrock.DenyListFoundationModels = false;
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("bedrock", (await catalog.ListingAsync(CancellationToken.None)).Source);
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_secret_is_refused_by_the_signature_check()
    {
        var (catalog, owned) = Catalog(secret: "not-the-secret-key-of-AKIDEXAMPLE");
        using var _ = owned;

        var listing = await catalog.ListingAsync(CancellationToken.None);

        Assert.Equal("price-table", listing.Source);
        Assert.Contains("403 InvalidSignatureException: The request signature we calculated does not match", listing.Note, StringComparison.Ordinal);
        Assert.Equal(0, _bedrock.ListCalls);
    }

    private sealed class Owned(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }
}
