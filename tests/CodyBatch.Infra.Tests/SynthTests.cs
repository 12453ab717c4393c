namespace CodyBatch.Infra.Tests;

public sealed class SynthTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"codybatch-cdk-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public void The_app_synthesizes_offline_into_a_cloud_assembly()
    {
        var app = new App(new AppProps
        {
            Outdir = _output,
            Context = new Dictionary<string, object>
            {
                [CodyBatchStack.EcrRepositoryContext] = "codybatch",
                [CodyBatchStack.ImageTagContext] = "test",
            },
        });
        _ = new CodyBatchStack(app, "CodyBatch");

        var assembly = app.Synth();

        Assert.True(File.Exists(Path.Combine(_output, "CodyBatch.template.json")));
        Assert.Contains(assembly.Stacks, s => s.StackName == "CodyBatch");
    }
}
