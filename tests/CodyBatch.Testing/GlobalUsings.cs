// The namespaces most of this project's files use, imported once.
global using System.Collections.Concurrent;
global using System.Globalization;
global using System.IO.Compression;
global using System.Security.Cryptography;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Nodes;
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
global using CodyBatch.Core.Jobs;
global using CodyBatch.Core.Runs;
global using Xunit;
