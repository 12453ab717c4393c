// The namespaces most of this project's files use, imported once.
global using Microsoft.Extensions.Options;
global using CodyBatch.Core.Checks;
global using CodyBatch.Core.Environments;
global using CodyBatch.Sandbox.Bubblewrap;
global using CodyBatch.Testing;
