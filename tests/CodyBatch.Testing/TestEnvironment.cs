using System.Net;
using System.Net.Sockets;

namespace CodyBatch.Testing;

/// <summary>Where the tests run: the repository they come from, and ports to listen on.</summary>
public static class TestEnvironment
{
    /// <summary>The repository root (the folder with CodyBatch.slnx) above the test output.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CodyBatch.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CodyBatch.slnx) was not found above the test output.");
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
