namespace CodyBatch.Core.Agent;

/// <summary>
/// Which models the code agent can run within its cost cap: a model it cannot price would cost
/// nothing by its count, so no cost cap would ever stop it. Job creation asks here before a job is stored.
/// </summary>
public interface IModelPriceCheck
{
    /// <summary>Null when <paramref name="model"/> may be used; otherwise a sentence saying why not and which setting would allow it.</summary>
    string? Refuse(string model);
}
