namespace CodyBatch.Testing;

/// <summary>Makes named pipes, the special file a hostile tree can hold that blocks a reader forever.</summary>
public static class Fifo
{
    public static async Task MakeAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        await mkfifo.WaitForExitAsync();
        if (mkfifo.ExitCode != 0)
        {
            throw new IOException($"mkfifo {path} failed.");
        }
    }
}
