// The namespaces most of this project's files use, imported once.
global using System.Text.Json.Nodes;
global using Microsoft.Extensions.Options;
global using CodyBatch.Claude.Agent;
global using CodyBatch.Claude.Tools;
global using CodyBatch.Core.Configuration;
global using CodyBatch.Core.Runs;
global using CodyBatch.Core.Workspaces;
global using CodyBatch.Testing;
global using CodyBatch.Testing.Anthropic;
