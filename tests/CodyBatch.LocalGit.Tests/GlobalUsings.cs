// The namespaces most of this project's files use, imported once.
global using CodyBatch.Core.Configuration;
global using CodyBatch.Core.Repositories;
global using CodyBatch.Core.Runs;
global using CodyBatch.Core.Workspaces;
global using CodyBatch.Testing;
