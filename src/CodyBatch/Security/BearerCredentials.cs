namespace CodyBatch.Security;

/// <summary>
/// Reads the API key a request presents, however it was spelled: <c>Authorization: Bearer &lt;key&gt;</c>
/// with the scheme in any casing and any run of spaces or tabs before the key, or, behind CloudFront
/// (whose own signature takes <c>Authorization</c>), the viewer's header copied into
/// <see cref="ForwardedAuthorization"/>. Two spellings of one key are one key.
/// </summary>
internal static class BearerCredentials
{
    /// <summary>Where CloudFront's viewer-request function puts the viewer's <c>Authorization</c> (see infra/).</summary>
    public const string ForwardedAuthorization = "X-CodyBatch-Authorization";

    /// <summary>The presented key, or null when the request presents none.</summary>
    public static string? Read(HttpRequest request)
    {
        var headers = request.Headers;
        return Parse(headers.Authorization) ?? Parse(headers[ForwardedAuthorization]);
    }

    /// <summary>The key of a <c>Bearer</c> credential (RFC 9110 §11.4: the scheme is case-insensitive); null for anything else.</summary>
    internal static string? Parse(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count != 1 || values[0] is not { } header)
        {
            return null;
        }

        var text = header.AsSpan().Trim(" \t");
        if (text.Length <= "Bearer".Length
            || !text.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase)
            || text["Bearer".Length] is not (' ' or '\t'))
        {
            return null;
        }

        var key = text["Bearer".Length..].Trim(" \t");
        return key.Length == 0 ? null : key.ToString();
    }
}
