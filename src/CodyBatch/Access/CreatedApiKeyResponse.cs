namespace CodyBatch.Access;

/// <summary>The answer to creating a key: the key's text, shown this once and stored nowhere.</summary>
/// <param name="Key">The stored key.</param>
/// <param name="Secret">The key's text, to send as <c>Authorization: Bearer</c>; it cannot be shown again.</param>
public sealed record CreatedApiKeyResponse(ApiKeyResponse Key, string Secret);
