// The namespaces most of this project's files use, imported once.
global using System.Globalization;
global using System.Security.Cryptography;
global using System.Text;
global using System.Text.Json;
global using Amazon.DynamoDBv2;
global using Amazon.DynamoDBv2.Model;
global using CodyBatch.Core.Artifacts;
global using CodyBatch.Core.Jobs;
