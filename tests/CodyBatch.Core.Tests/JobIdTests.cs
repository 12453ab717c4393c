namespace CodyBatch.Core.Tests;

public sealed class JobIdTests
{
    [Fact]
    public void Ids_sort_by_creation_time_as_text()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 200).Select(i => JobId.New(start.AddMilliseconds(i * 7))).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.True(JobId.IsValid(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Ids_made_in_the_same_millisecond_sort_in_the_order_they_were_made()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 1000).Select(_ => JobId.New(now)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void A_later_millisecond_sorts_after_an_earlier_one_whatever_order_they_were_made_in()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var later = JobId.New(now.AddMilliseconds(1));
        var earlier = JobId.New(now);

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAV")]
    [InlineData("01arz3ndektsv4rrffq69g5fa/")]
    [InlineData("81arz3ndektsv4rrffq69g5fav")]
    public void Malformed_ids_are_not_valid(string id) => Assert.False(JobId.IsValid(id));
}
