// The namespaces most of this project's files use, imported once.
global using System.Text.Json.Nodes;
global using Amazon.CDK;
global using Amazon.CDK.Assertions;
global using CodyBatch.Infra;
global using CodyBatch.Testing;
