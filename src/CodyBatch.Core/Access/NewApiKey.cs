namespace CodyBatch.Core.Access;

/// <summary>What an admin asks for when creating a key.</summary>
/// <param name="Name">Who holds it: 1–64 letters, digits, spaces, dots, dashes, underscores or @; unique.</param>
/// <param name="Role">viewer, operator or admin.</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
/// <param name="MonthlyCapUsd">Most US dollars its jobs may cost per calendar month; null for none.</param>
public sealed record NewApiKey(string? Name, string? Role, DateTimeOffset? ExpiresAt = null, decimal? MonthlyCapUsd = null);
