using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CodyBatch.Problems;

/// <summary>
/// Kestrel answers a request it cannot parse (a malformed request line or header, a request line or
/// headers over its limits, a request that arrives too slowly) itself, before any middleware runs, with
/// an empty body and <c>Connection: close</c>. This connection middleware turns exactly those answers
/// into problem details; every other byte passes through unchanged.
/// </summary>
internal static class KestrelRejections
{
    // A response head larger than this is never one of Kestrel's rejections.
    private const int MaxRejectionHeadBytes = 4096;

    private static readonly byte[] ErrorStatusPrefix = "HTTP/1.1 4"u8.ToArray();
    private static readonly byte[] ServerErrorStatusPrefix = "HTTP/1.1 5"u8.ToArray();
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    /// <summary>Adds the rewriting to every endpoint Kestrel listens on.</summary>
    public static void UseProblemDetailsForRejections(this KestrelServerOptions options) =>
        options.ConfigureEndpointDefaults(listen => listen.Use(next => connection => RunAsync(next, connection)));

    private static async Task RunAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        var transport = connection.Transport;
        var responses = new Pipe();
        connection.Transport = new Transport(transport.Input, responses.Writer);
        var pump = PumpAsync(responses.Reader, transport.Output);
        try
        {
            await next(connection);
        }
        finally
        {
            await responses.Writer.CompleteAsync();
            await pump;
            connection.Transport = transport;
        }
    }

    private static async Task PumpAsync(PipeReader responses, PipeWriter output)
    {
        try
        {
            while (true)
            {
                var result = await responses.ReadAsync();
                var buffer = result.Buffer;
                if (StartsWithErrorStatus(buffer) && buffer.Length <= MaxRejectionHeadBytes)
                {
                    var head = buffer.ToArray();
                    var end = head.AsSpan().IndexOf(HeadEnd);
                    if (end < 0 && !result.IsCompleted)
                    {
                        // Wait for the whole head before deciding.
                        responses.AdvanceTo(buffer.Start, buffer.End);
                        continue;
                    }

                    if (end >= 0 && end + HeadEnd.Length == head.Length && Rewrite(Encoding.ASCII.GetString(head, 0, end)) is { } problem)
                    {
                        output.Write(problem);
                        responses.AdvanceTo(buffer.End);
                        await output.FlushAsync();
                        if (result.IsCompleted)
                        {
                            break;
                        }

                        continue;
                    }
                }

                foreach (var segment in buffer)
                {
                    output.Write(segment.Span);
                }

                responses.AdvanceTo(buffer.End);
                var flush = await output.FlushAsync();
                if (result.IsCompleted || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ConnectionAbortedException or ConnectionResetException or OperationCanceledException)
        {
            // The connection went away; there is nobody left to answer.
        }
        finally
        {
            await responses.CompleteAsync();
            await output.CompleteAsync();
        }
    }

    private static bool StartsWithErrorStatus(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < ErrorStatusPrefix.Length)
        {
            return false;
        }

        Span<byte> start = stackalloc byte[ErrorStatusPrefix.Length];
        buffer.Slice(0, ErrorStatusPrefix.Length).CopyTo(start);
        return start.SequenceEqual(ErrorStatusPrefix) || start.SequenceEqual(ServerErrorStatusPrefix);
    }

    // The head of one of Kestrel's own rejections (an error status, no body, the connection closed)
    // rewritten with a problem details body; null for anything else, which then passes unchanged.
    internal static byte[]? Rewrite(string head)
    {
        var lines = head.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !int.TryParse(status[1], out var code) || code < 400)
        {
            return null;
        }

        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(h => h.Length == 2).Select(h => (Name: h[0].Trim(), Value: h[1].Trim())).ToList();
        bool Has(string name, string value) => headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && h.Value.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (!Has("Content-Length", "0") || !Has("Connection", "close") || headers.Any(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var reason = status.Length > 2 ? status[2] : "Error";
        var body = new JsonObject
        {
            ["type"] = $"https://tools.ietf.org/html/rfc9110#status.{code}",
            ["title"] = reason,
            ["status"] = code,
            ["detail"] = Detail(code),
        }.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(body);
        var rewritten = new StringBuilder();
        rewritten.Append(lines[0]).Append("\r\n");
        foreach (var (name, value) in headers.Where(h => !h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            rewritten.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        rewritten.Append("Content-Type: application/problem+json\r\n")
            .Append("Content-Length: ").Append(bytes.Length).Append("\r\n")
            .Append("X-Content-Type-Options: nosniff\r\n")
            .Append("Cache-Control: no-store\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(rewritten.ToString()), .. bytes];
    }

    private static string Detail(int code) => code switch
    {
        400 => "The server could not read the request: its request line or a header is malformed. Send a well-formed HTTP/1.1 request.",
        408 => "The request did not arrive in time; send it again.",
        413 => "The request is larger than the server reads.",
        414 => "The request line is longer than the server reads; shorten the URL.",
        431 => "The request's headers are larger than the server reads; send fewer or shorter headers.",
        505 => "The server speaks HTTP/1.1 and HTTP/2; send the request with one of them.",
        _ => "The server refused the request before reading it.",
    };

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
