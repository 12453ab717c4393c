namespace CodyBatch.Core.Jobs;

/// <summary>What a job's setup and shell may reach over the network.</summary>
public enum JobNetwork
{
    /// <summary>The package registries on the server's allow-list (CodyBatch:Egress:AllowedDomains), through the egress proxy.</summary>
    Registries,

    /// <summary>No network at all.</summary>
    None,
}
