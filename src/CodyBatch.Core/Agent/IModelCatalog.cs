namespace CodyBatch.Core.Agent;

/// <summary>The models the configured account may use, for the model pickers.</summary>
public interface IModelCatalog
{
    /// <summary>Every model the provider lists, newest first, with its price when the price table knows it.</summary>
    Task<IReadOnlyList<AvailableModel>> ListAsync(CancellationToken cancellationToken);
}
