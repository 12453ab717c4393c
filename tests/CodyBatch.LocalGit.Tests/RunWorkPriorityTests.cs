using System.Diagnostics;
using CodyBatch.LocalGit;

namespace CodyBatch.LocalGit.Tests;

public sealed class RunWorkPriorityTests
{
    [Fact]
    public void A_lowered_process_and_what_it_starts_run_at_the_lowest_priority()
    {
        // sh waits for a line, then starts a child that prints its own nice value (field 19 of /proc/self/stat).
        var start = new ProcessStartInfo("/bin/sh", ["-c", "read line; cut -d' ' -f19 /proc/self/stat; cut -d' ' -f19 /proc/$$/stat"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;

        RunWorkPriority.Lower(process);
        process.StandardInput.WriteLine("go");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();

        // The lowest priority is nice 19.
        var expected = "19";
        Assert.Equal([expected, expected], output);
    }

    private static int NiceOf(string pid) =>
        int.Parse(File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Split(' ')[17], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Lowering_a_process_that_has_already_exited_is_nothing()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        process.WaitForExit();

        RunWorkPriority.Lower(process);
    }
}
