using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace CodyBatch.Infra;

/// <summary>
/// Moves the CDK's own helper functions (bucket deployment, auto-delete of objects) to Node.js and Python runtimes
/// Lambda still supports: the CDK version that restores here ships them on one Lambda has deprecated, and
/// a deprecated runtime can neither be created nor updated.
/// </summary>
public sealed class RuntimeUpgrade : Amazon.JSII.Runtime.Deputy.DeputyBase, IAspect
{
    /// <summary>The Node.js runtime the helpers run on.</summary>
    public const string NodeRuntime = "nodejs22.x";

    /// <summary>The Python runtime the bucket deployment runs on (python3.11 is deprecated since June 2026).</summary>
    public const string PythonRuntime = "python3.12";

    /// <summary>Upgrades one construct when it is such a helper.</summary>
    public void Visit(IConstruct node)
    {
        switch (node)
        {
            case CfnFunction function when function.Runtime is { } runtime && runtime.StartsWith("nodejs", StringComparison.Ordinal):
                function.Runtime = NodeRuntime;
                break;
            case CfnFunction function when function.Runtime is "python3.9" or "python3.10" or "python3.11":
                function.Runtime = PythonRuntime;
                break;
            case CfnResource resource when resource.CfnResourceType == "AWS::Lambda::Function" && resource is not CfnFunction
                && resource.Node.Path.Contains("CustomResourceProvider", StringComparison.Ordinal):
                // The helper providers (all Node.js) are written as raw resources; their runtime is a plain property.
                resource.AddPropertyOverride("Runtime", NodeRuntime);
                break;
            default:
                break;
        }
    }
}
