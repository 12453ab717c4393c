using System.Security.Cryptography;
using System.Text.Json;
using CodyBatch.Campaigns;

namespace CodyBatch.Tests.Campaigns;

/// <summary>A kept page's bytes: the same JSON the serializer writes as one array, in segments off the large object heap.</summary>
public sealed class PageBytesTests
{
    [Fact]
    public void A_large_document_is_written_whole_in_segments_below_the_large_object_threshold()
    {
        // Rows like a campaign page's, more than one large object's worth.
        var rows = Enumerable.Range(0, 1000)
            .Select(i => new { repository = $"fleet/repository-{i:000}", phase = "done", summary = $"Bumped the base image (é \"{i}\" <ok>)." })
            .ToList();
        var expected = JsonSerializer.SerializeToUtf8Bytes(rows);
        var body = new PageBytes();

        using (var writer = new Utf8JsonWriter(body))
        {
            JsonSerializer.Serialize(writer, rows);
        }

        var segments = body.Segments.ToList();
        Assert.True(expected.Length > 100_000, "the document should be larger than the large-object threshold");
        Assert.Equal(expected.Length, body.Length);
        Assert.Equal(expected, segments.SelectMany(s => s.ToArray()).ToArray());
        Assert.True(segments.Count > 2);
        Assert.All(segments, s => Assert.True(s.Length < 85_000, $"a segment of {s.Length} bytes"));
        Assert.Equal(SHA256.HashData(expected), body.Sha256());
    }

    [Fact]
    public void A_string_longer_than_a_segment_is_written_whole()
    {
        var document = new { before = "a", summary = new string('x', 50_000) + "é\"<", after = "b" };
        var expected = JsonSerializer.SerializeToUtf8Bytes(document);
        var body = new PageBytes();

        using (var writer = new Utf8JsonWriter(body))
        {
            JsonSerializer.Serialize(writer, document);
        }

        Assert.Equal(expected, body.Segments.SelectMany(s => s.ToArray()).ToArray());
        Assert.Equal(SHA256.HashData(expected), body.Sha256());
    }

    [Fact]
    public void Nothing_written_is_an_empty_body()
    {
        var body = new PageBytes();

        Assert.Equal(0, body.Length);
        Assert.Equal(0, body.Segments.Sum(s => s.Length));
        Assert.Equal(SHA256.HashData([]), body.Sha256());
    }
}
