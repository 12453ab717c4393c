using Amazon.CDK;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.CloudFront.Origins;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Deployment;

namespace CodyBatch.Infra;

// The web site: the UI from a private bucket behind CloudFront with the security headers, /api/* to
// the API function with the caller's Authorization forwarded under a header of its own.
public sealed partial class CodyBatchStack
{
    private Amazon.CDK.AWS.CloudFront.Distribution Site(IFunctionUrl apiUrl)
    {
        // Web UI: a private bucket behind CloudFront; /api/* goes to the function.
        var web = new Bucket(this, "Web", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.DESTROY,
            AutoDeleteObjects = true,
        });
        var spaFallback = new Amazon.CDK.AWS.CloudFront.Function(this, "SpaFallback", new Amazon.CDK.AWS.CloudFront.FunctionProps
        {
            Code = FunctionCode.FromInline(SpaFallback.Code),
            Runtime = FunctionRuntime.JS_2_0,
            Comment = "Serves index.html for the web UI's client-side routes.",
        });
        var forwardAuthorization = new Amazon.CDK.AWS.CloudFront.Function(this, "ForwardAuthorization", new Amazon.CDK.AWS.CloudFront.FunctionProps
        {
            Code = FunctionCode.FromInline(ForwardAuthorizationCode),
            Runtime = FunctionRuntime.JS_2_0,
            Comment = "Keeps the API key: CloudFront replaces Authorization with its own signature for the function URL.",
        });
        var distribution = new Amazon.CDK.AWS.CloudFront.Distribution(this, "Site", new DistributionProps
        {
            DefaultRootObject = "index.html",
            DefaultBehavior = new BehaviorOptions
            {
                Origin = S3BucketOrigin.WithOriginAccessControl(web),
                ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                FunctionAssociations = [new FunctionAssociation { Function = spaFallback, EventType = FunctionEventType.VIEWER_REQUEST }],
                ResponseHeadersPolicy = WebHeaders(),
            },
            AdditionalBehaviors = new Dictionary<string, IBehaviorOptions>
            {
                ["/api/*"] = new BehaviorOptions
                {
                    Origin = new FunctionUrlOrigin(apiUrl),
                    AllowedMethods = AllowedMethods.ALLOW_ALL,
                    CachePolicy = CachePolicy.CACHING_DISABLED,
                    OriginRequestPolicy = OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                    ViewerProtocolPolicy = ViewerProtocolPolicy.HTTPS_ONLY,
                    FunctionAssociations = [new FunctionAssociation { Function = forwardAuthorization, EventType = FunctionEventType.VIEWER_REQUEST }],
                },
            },
        });

        // Origin access control for the function URL (the CDK version here has no helper for a Lambda origin).
        var oac = new CfnOriginAccessControl(this, "ApiOriginAccess", new CfnOriginAccessControlProps
        {
            OriginAccessControlConfig = new CfnOriginAccessControl.OriginAccessControlConfigProperty
            {
                Name = $"{StackName}-api".Length > 64 ? $"{StackName}-api"[..64] : $"{StackName}-api",
                OriginAccessControlOriginType = "lambda",
                SigningBehavior = "always",
                SigningProtocol = "sigv4",
            },
        });
        ((CfnDistribution)distribution.Node.DefaultChild!).AddPropertyOverride("DistributionConfig.Origins.1.OriginAccessControlId", oac.AttrId);

        _ = new BucketDeployment(this, "WebContent", new BucketDeploymentProps
        {
            Sources = [WebSource()],
            DestinationBucket = web,
            Distribution = distribution,
            DistributionPaths = ["/*"],
        });
        return distribution;
    }

    // S3 sends no security headers: CloudFront adds the ones serve sends with the web UI, and HSTS (always HTTPS here).
    private ResponseHeadersPolicy WebHeaders() => new(this, "WebHeaders", new ResponseHeadersPolicyProps
    {
        Comment = "Cody Batch web UI: the security headers and Content-Security-Policy codybatch serve sends.",
        SecurityHeadersBehavior = new ResponseSecurityHeadersBehavior
        {
            ContentSecurityPolicy = new ResponseHeadersContentSecurityPolicy { ContentSecurityPolicy = WebContentSecurityPolicy, Override = true },
            ContentTypeOptions = new ResponseHeadersContentTypeOptions { Override = true },
            FrameOptions = new ResponseHeadersFrameOptions { FrameOption = HeadersFrameOption.DENY, Override = true },
            ReferrerPolicy = new ResponseHeadersReferrerPolicy { ReferrerPolicy = HeadersReferrerPolicy.NO_REFERRER, Override = true },
            StrictTransportSecurity = new ResponseHeadersStrictTransportSecurity { AccessControlMaxAge = Duration.Days(365), IncludeSubdomains = true, Override = true },
        },
        CustomHeadersBehavior = new ResponseCustomHeadersBehavior
        {
            CustomHeaders =
            [
                new ResponseCustomHeader { Header = "Cross-Origin-Opener-Policy", Value = CodyBatch.Security.SecurityHeaderValues.SameOrigin, Override = true },
                new ResponseCustomHeader { Header = "Cross-Origin-Resource-Policy", Value = CodyBatch.Security.SecurityHeaderValues.SameOrigin, Override = true },
                new ResponseCustomHeader { Header = "Permissions-Policy", Value = CodyBatch.Security.SecurityHeaderValues.PermissionsPolicy, Override = true },
            ],
        },
    });

    private const string ForwardAuthorizationCode = $$"""
        function handler(event) {
            var request = event.request;
            var authorization = request.headers['authorization'];
            if (authorization) {
                request.headers['{{ForwardedAuthorizationHeader}}'] = { value: authorization.value };
            }
            return request;
        }
        """;
}
