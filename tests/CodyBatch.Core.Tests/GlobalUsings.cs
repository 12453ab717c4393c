// The namespaces most of this project's files use, imported once.
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Logging.Abstractions;
global using Microsoft.Extensions.Options;
global using Microsoft.Extensions.Time.Testing;
global using CodyBatch.Core.Agent;
global using CodyBatch.Core.Checks;
global using CodyBatch.Core.Configuration;
global using CodyBatch.Core.Engine;
global using CodyBatch.Core.Jobs;
global using CodyBatch.Core.Publishing;
global using CodyBatch.Core.PullRequests;
global using CodyBatch.Core.Runs;
global using CodyBatch.Storage.Sqlite.Jobs;
global using CodyBatch.Testing;
