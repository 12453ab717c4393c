// The namespaces most of this project's files use, imported once.
global using System.CommandLine;
global using System.Globalization;
global using System.Text.Json;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.Extensions.Options;
global using CodyBatch.Core.Jobs;
global using CodyBatch.Core.PullRequests;
global using CodyBatch.Core.Runs;
global using CodyBatch.Hosting;
global using CodyBatch.Jobs;
global using CodyBatch.PullRequests;
