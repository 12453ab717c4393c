// The namespaces most of this project's files use, imported once.
global using System.Text.Json;
global using Microsoft.Data.Sqlite;
global using CodyBatch.Core.Jobs;
global using CodyBatch.Storage.Sqlite.Jobs;
