using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Access;

/// <summary>Settings under <c>CodyBatch:Spend</c>.</summary>
public sealed class SpendOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Spend";

    /// <summary>Most US dollars all jobs together may cost in one calendar month (UTC); null for no cap.</summary>
    [Range(typeof(decimal), "0", "10000000", ErrorMessage = "CodyBatch:Spend:MonthlyCapUsd must be between 0 and 10,000,000 US dollars.")]
    public decimal? MonthlyCapUsd { get; set; }
}
