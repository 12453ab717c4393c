namespace CodyBatch.Infra.Tests;

/// <summary>
/// The test classes that read the default stack share one synthesis of it (the tests run one at a time anyway, see
/// AssemblyInfo.cs): a synthesis is the slow part of these tests, and the template does not change between them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SynthesizedStackCollection : ICollectionFixture<SynthesizedStack>, ICollectionFixture<BedrockStack>
{
    public const string Name = "Synthesized stacks";
}
