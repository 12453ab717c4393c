namespace CodyBatch.Testing.GitHub;

/// <summary>A webhook delivery the fake GitHub sent: its headers' values, the body, and the receiver's answer.</summary>
public sealed record FakeWebhookDelivery(string Id, string Event, string Body, string Signature, int Status, string Response);
