namespace CodyBatch.Webhooks;

/// <summary>What became of a webhook delivery: a duplicate (applied before), or applied to this many runs.</summary>
public sealed record WebhookReceipt(string Delivery, string Event, bool Duplicate, int Applied);
