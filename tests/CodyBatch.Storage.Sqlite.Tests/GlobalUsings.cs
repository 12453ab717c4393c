// The namespaces most of this project's files use, imported once.
global using CodyBatch.Storage.Sqlite.Jobs;
global using CodyBatch.Testing;
