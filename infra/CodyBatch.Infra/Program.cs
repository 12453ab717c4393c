using Amazon.CDK;
using CodyBatch.Infra;

// `cdk deploy` (cdk.json runs this) or `dotnet run`: synthesizes the Cody Batch stack into cdk.out.
var app = new App();
_ = new CodyBatchStack(app, "CodyBatch", new StackProps
{
    Env = new Amazon.CDK.Environment
    {
        Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
        Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
    },
    Description = "Cody Batch: API on Lambda, jobs on AWS Batch, state in DynamoDB, artifacts in S3, web UI on CloudFront.",
});
app.Synth();
