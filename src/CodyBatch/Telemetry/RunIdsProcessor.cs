using System.Diagnostics;
using CodyBatch.Core.Telemetry;
using OpenTelemetry;

namespace CodyBatch.Telemetry;

/// <summary>
/// Gives every span started beneath a run (stages, Claude requests, tool calls, GitHub calls, their HTTP requests,
/// sandbox work) the job's id and the run's repository, copied from its parent, so any one span says which run it belongs to.
/// </summary>
internal sealed class RunIdsProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (data.Parent is not { } parent)
        {
            return;
        }

        foreach (var key in (ReadOnlySpan<string>)[CodyBatchTelemetry.JobId, CodyBatchTelemetry.Repository])
        {
            if (data.GetTagItem(key) is null && parent.GetTagItem(key) is { } value)
            {
                data.SetTag(key, value);
            }
        }
    }
}
