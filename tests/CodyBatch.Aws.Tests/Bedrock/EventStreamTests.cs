namespace CodyBatch.Aws.Tests.Bedrock;

public sealed class EventStreamTests
{
    [Fact]
    public void A_message_matches_the_documented_layout_and_checksums()
    {
        // CRC32 (IEEE) of "123456789" is 0xCBF43926, the standard check value.
        Assert.Equal(0xCBF43926u, EventStream.Crc32("123456789"u8));
        Assert.Equal(12 + 9 + 4, EventStream.Message([], "123456789"u8.ToArray()).Length);

        var bytes = EventStream.Chunk("""{"type":"message_stop"}""");
        var message = Assert.Single(EventStream.Read(bytes));

        Assert.Equal("chunk", message.Headers[":event-type"]);
        Assert.Equal("event", message.Headers[":message-type"]);
        Assert.StartsWith("{\"bytes\":\"", Encoding.UTF8.GetString(message.Payload), StringComparison.Ordinal);
        bytes[^1] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => EventStream.Read(bytes));
    }
}
