using CodyBatch.Core.Agent;
using CodyBatch.Core.Repositories;
using CodyBatch.Hosting;
using CodyBatch.Testing;

// Settings beyond the product's own:
//   TestHost:Repositories  comma-separated owner/name list the repository host knows
//   TestHost:AgentDelay    how long the scripted agent works on each run
//   TestHost:SummaryExtra  a paragraph the scripted agent adds to each summary (markdown)
var probe = new ConfigurationBuilder().AddCommandLine(args).AddEnvironmentVariables().Build();
var repositories = (probe["TestHost:Repositories"] ?? "acme/api").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var delay = TimeSpan.TryParse(probe["TestHost:AgentDelay"], System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : TimeSpan.FromSeconds(1);

var app = CodyBatchServer.Build(args, services =>
{
    services.AddSingleton<IRepositoryHost>(new FakeRepositoryHost().AddSimple(repositories));
    services.AddSingleton<ICodeAgent>(ScriptedCodeAgent.AppendingTo("README.md", delay, probe["TestHost:SummaryExtra"]));
});
await app.RunAsync();
