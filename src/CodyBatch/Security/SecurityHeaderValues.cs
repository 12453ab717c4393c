namespace CodyBatch.Security;

/// <summary>
/// The security headers' values, in one file that both <c>serve</c> and the CDK app compile (infra/
/// links this file), so the web UI gets the same policy from <c>serve</c> and from CloudFront.
/// </summary>
internal static class SecurityHeaderValues
{
    /// <summary>The UI's policy: everything from this origin only; images also as <c>data:</c> URLs.</summary>
    public const string UiPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The API's policy: an answer shown in a browser loads nothing and runs nothing.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary><c>Referrer-Policy</c>.</summary>
    public const string ReferrerPolicy = "no-referrer";

    /// <summary><c>Cross-Origin-Opener-Policy</c> and <c>Cross-Origin-Resource-Policy</c>.</summary>
    public const string SameOrigin = "same-origin";

    /// <summary><c>Permissions-Policy</c>.</summary>
    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
}
