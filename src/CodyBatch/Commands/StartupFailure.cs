using System.Net.Sockets;

namespace CodyBatch.Commands;

/// <summary>Turns a failure to start into one line that says what to fix, without a stack trace.</summary>
internal static class StartupFailure
{
    /// <summary>The sentence for <paramref name="exception"/>, or null when it is not a start-up problem the user can fix.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        StartupRefusedException refused => refused.Message,
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        IOException { InnerException: SocketException } or IOException { Source: "Microsoft.AspNetCore.Server.Kestrel.Core" } =>
            $"Could not listen: {exception.Message} Choose another address with --urls.",
        _ => null,
    };

    public static async Task<int> ReportAsync(Exception exception, int exitCode)
    {
        await Console.Error.WriteLineAsync($"codybatch: {Describe(exception)}");
        return exitCode;
    }
}
