namespace CodyBatch.Core.Agent;

/// <summary>The models the configured account may use, for the model pickers.</summary>
public interface IModelCatalog
{
    /// <summary>Every model the provider lists, newest first, with its price when the price table knows it.</summary>
    async Task<IReadOnlyList<AvailableModel>> ListAsync(CancellationToken cancellationToken) => (await ListingAsync(cancellationToken)).Models;

    /// <summary>The models with where the list came from and, when it is not the provider's own list, why.</summary>
    Task<ModelListing> ListingAsync(CancellationToken cancellationToken);
}
