using CodyBatch.Core.Agent;
using CodyBatch.Core.Repositories;
using CodyBatch.Hosting;
using CodyBatch.TestHost;
using CodyBatch.Testing;

// Settings beyond the product's own:
//   TestHost:Repositories  comma-separated owner/name list the repository host knows
//   TestHost:AgentDelay    how long the scripted agent works on each turn
//   TestHost:Turns         how many turns the agent works (default 1)
//   TestHost:FailFirst     comma-separated repositories whose first run fails
//   TestHost:Long          comma-separated repositories whose runs take 60 quick turns
//   TestHost:SummaryExtra  a paragraph the scripted agent adds to each summary (markdown)
//   TestHost:ShellTurn     the turn on which the agent runs a command in Claude's shell (bash) instead of a search
//   TestHost:NotNeeded     comma-separated repositories a triage run answers "not necessary" for
//   TestHost:Archived      comma-separated repositories the directory lists as archived (campaign selections)
//   TestHost:Forks         comma-separated repositories the directory lists as forks
//   TestHost:Topics        comma-separated owner/name=topic pairs; TestHost:Languages the same with a language
//   TestHost:ClockAhead    how far ahead of the system clock the server's clock runs (e.g. 00:00:10), so leases a killed
//                          server held are seen as run out at once
//   TestHost:Product       true: the product's own repository hosts and agent (GitHub, Claude) instead of the scripted ones
var probe = new ConfigurationBuilder().AddCommandLine(args).AddEnvironmentVariables().Build();
var repositories = (probe["TestHost:Repositories"] ?? "acme/api").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var delay = TimeSpan.TryParse(probe["TestHost:AgentDelay"], System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : TimeSpan.FromSeconds(1);
var turns = int.TryParse(probe["TestHost:Turns"], out var count) ? count : 1;
var failFirst = Names(probe["TestHost:FailFirst"]);
var longRuns = Names(probe["TestHost:Long"]);
int? shellTurn = int.TryParse(probe["TestHost:ShellTurn"], out var shellAt) ? shellAt : null;

var host = new FakeRepositoryHost();
foreach (var name in repositories)
{
    host.Add(name, new Dictionary<string, string>
    {
        ["README.md"] = $"# {name}\n",
        ["src/app.txt"] = "hello\nfrom the app\nthat is renamed\n",
        ["src/list.txt"] = string.Concat(Enumerable.Range(1, 60).Select(i => $"line {i}\n")),
    });
}

var ahead = TimeSpan.TryParse(probe["TestHost:ClockAhead"], System.Globalization.CultureInfo.InvariantCulture, out var offset) ? offset : TimeSpan.Zero;
var product = bool.TryParse(probe["TestHost:Product"], out var own) && own;

var app = CodyBatchServer.Build(args, services =>
{
    if (ahead > TimeSpan.Zero)
    {
        services.AddSingleton<TimeProvider>(new AheadClock(ahead));
    }

    if (!product)
    {
        services.AddSingleton<IRepositoryHost>(host);
        services.AddSingleton<CodyBatch.Core.Publishing.IOpenPullRequests>(host);
        services.AddSingleton<IRepositoryDirectory>(new E2eRepositoryDirectory(
            repositories, Names(probe["TestHost:Archived"]), Names(probe["TestHost:Forks"]), Pairs(probe["TestHost:Topics"]), Pairs(probe["TestHost:Languages"])));
        services.AddSingleton<ICodeAgent>(new E2eAgent(turns, delay, failFirst, longRuns, probe["TestHost:SummaryExtra"], shellTurn, Names(probe["TestHost:NotNeeded"])));
    }
});
await app.RunAsync();

static HashSet<string> Names(string? list) =>
    (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

static Dictionary<string, string> Pairs(string? list) =>
    Names(list).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
