using Microsoft.AspNetCore.Http.Metadata;

namespace CodyBatch.Problems;

/// <summary>An endpoint's own request body limit, in place of <see cref="ProblemsExtensions.MaxRequestBodyBytes"/>.</summary>
/// <param name="MaxRequestBodySize">The most bytes the endpoint reads.</param>
internal sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
