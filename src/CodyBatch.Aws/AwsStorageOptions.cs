using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Aws;

/// <summary>Settings under <c>CodyBatch:Aws</c>. Credentials come from the usual AWS chain (environment, role).</summary>
public sealed class AwsStorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Aws";

    /// <summary>The DynamoDB table of jobs.</summary>
    [Required(ErrorMessage = "CodyBatch:Aws:TableName must name the DynamoDB table.")]
    public string TableName { get; set; } = "codybatch";

    /// <summary>The S3 bucket of artifacts.</summary>
    [Required(ErrorMessage = "CodyBatch:Aws:BucketName must name the S3 bucket for patches and threads.")]
    public string? BucketName { get; set; }

    /// <summary>The AWS region (the SDK's default chain when empty).</summary>
    public string? Region { get; set; }

    /// <summary>A DynamoDB endpoint other than AWS's (a local emulator).</summary>
    public string? DynamoDbServiceUrl { get; set; }

    /// <summary>An S3 endpoint other than AWS's (a local emulator); path-style addressing is used then.</summary>
    public string? S3ServiceUrl { get; set; }

    /// <summary>Create the table when it is missing (development; in AWS the CDK app creates it).</summary>
    public bool CreateTableIfMissing { get; set; }
}
