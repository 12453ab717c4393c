// The namespaces most of this project's files use, imported once.
global using System.Text.Json.Nodes;
global using CodyBatch.Core.Publishing;
global using CodyBatch.Core.PullRequests;
global using CodyBatch.Core.Repositories;
global using CodyBatch.Core.Runs;
global using CodyBatch.GitHub.PullRequests;
global using CodyBatch.GitHub.Repositories;
global using CodyBatch.Testing;
global using CodyBatch.Testing.GitHub;
