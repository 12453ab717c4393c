using System.Text;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Artifacts;

namespace CodyBatch.Core.Engine;

/// <summary>Stores and reads back a run's patch and thread.</summary>
public sealed class RunArtifacts(IArtifactStore artifacts, SecretRedactor redactor)
{
    /// <summary>Stores the attempt's patch and remembers its key on the context.</summary>
    public async Task StorePatchAsync(RunContext context, string patch, CancellationToken cancellationToken)
    {
        var key = ArtifactKeys.Patch(context.Job.Id, context.Run.Repository);
        await artifacts.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(patch)), "text/x-diff", cancellationToken);
        context.PatchArtifact = key;
    }

    /// <summary>The patch stored by an earlier attempt (empty when it had none).</summary>
    public async Task<string> ReadPatchAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Run.PatchArtifact is not { } key)
        {
            return "";
        }

        await using var stream = await artifacts.OpenReadAsync(key, cancellationToken)
            ?? throw new Runs.RunFailedException("The stored patch of this run is missing, so it cannot be published; run the repository again as a new job.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>
    /// Stores the attempt's thread so far (even when the run was cancelled: the partial thread is what
    /// explains it). An attempt that only publishes keeps the thread of the attempt that ran the agent.
    /// </summary>
    public async Task StoreThreadAsync(RunContext context)
    {
        if (context.ResumesAtPublishing || context.Thread.Count == 0)
        {
            return;
        }

        // Also called while the run works, so the thread can be read before it ends; the context
        // lets one store through at a time and skips it when nothing new was recorded.
        var key = ArtifactKeys.Thread(context.Job.Id, context.Run.Repository);
        await context.StoreThreadAsync(key, redactor, json => artifacts.PutAsync(key, new MemoryStream(json), "application/json", CancellationToken.None));
    }
}
