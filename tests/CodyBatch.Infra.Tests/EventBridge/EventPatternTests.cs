namespace CodyBatch.Infra.Tests.EventBridge;

/// <summary>The matcher follows EventBridge's documented examples, so the filter tests mean what AWS would do.</summary>
public sealed class EventPatternTests
{
    private static readonly JsonNode Event = JsonNode.Parse("""
        {"source":"aws.ec2","detail":{"state":"running","count":5,"tags":["a","b"],"nested":{"S":"x"},"empty":null}}
        """)!;

    [Theory]
    [InlineData("""{"detail":{"state":["running"]}}""", true)]
    [InlineData("""{"detail":{"state":["stopped","running"]}}""", true)]
    [InlineData("""{"detail":{"state":["stopped"]}}""", false)]
    [InlineData("""{"detail":{"tags":["b"]}}""", true)]
    [InlineData("""{"detail":{"state":[{"prefix":"run"}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"suffix":"ing"}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":"running"}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":["stopped"]}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"prefix":"run"}}]}}""", false)]
    [InlineData("""{"detail":{"missing":[{"anything-but":"x"}]}}""", false)]
    [InlineData("""{"detail":{"count":[{"numeric":[">",1,"<=",5]}]}}""", true)]
    [InlineData("""{"detail":{"count":[{"numeric":[">",5]}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"exists":true}]}}""", true)]
    [InlineData("""{"detail":{"missing":[{"exists":false}]}}""", true)]
    [InlineData("""{"detail":{"nested":[{"exists":true}]}}""", false)]
    [InlineData("""{"detail":{"nested":[{"exists":false}]}}""", true)]
    [InlineData("""{"detail":{"nested":{"S":[{"exists":true}]}}}""", true)]
    [InlineData("""{"detail":{"empty":[null]}}""", true)]
    [InlineData("""{"source":["aws.ec2"],"detail":{"state":["stopped"]}}""", false)]
    [InlineData("""{"detail":{"state":[{"equals-ignore-case":"RUNNING"}]}}""", true)]
    public void Patterns_match_as_eventbridge_documents(string pattern, bool expected) =>
        Assert.Equal(expected, EventPattern.Matches(pattern, Event));

    [Fact]
    public void An_operator_not_implemented_fails_instead_of_matching() =>
        Assert.Throws<InvalidOperationException>(() => EventPattern.Matches("""{"detail":{"state":[{"wildcard":"r*"}]}}""", Event));
}
