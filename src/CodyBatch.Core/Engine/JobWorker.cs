using System.Collections.Concurrent;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Runs repository runs in this process, at most <see cref="WorkerOptions.Concurrency"/> at once: waits
/// for a free slot, claims the next run in fair order (<see cref="RunClaimer"/>) with the rest of its job
/// when it fits (<see cref="WavePlanner"/>), and hands each claim to <see cref="ClaimedRunExecutor"/>.
/// </summary>
public sealed partial class JobWorker(
    RunClaimer claimer,
    ClaimedRunExecutor executor,
    WorkSignal signal,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<JobWorker> logger) : BackgroundService
{
    /// <summary>This worker's identity in leases.</summary>
    public string WorkerId => claimer.WorkerId;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            // This process only serves the API; another process (or AWS Batch) runs the jobs.
            LogDisabled(logger);
            return;
        }

        RaiseThreadFloor(settings.Concurrency);
        using var slots = new SemaphoreSlim(settings.Concurrency);
        var running = new ConcurrentDictionary<Task, byte>();
        void Start(RunClaim claim)
        {
            var task = Task.Run(
                async () =>
                {
                    try
                    {
                        await executor.ExecuteAsync(claim, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                },
                CancellationToken.None);
            running.TryAdd(task, 0);
            _ = task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
        }

        LogStarted(logger, WorkerId, settings.Concurrency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var claim = await TryAsync(() => claimer.ClaimNextAsync(stoppingToken));
                if (claim is null)
                {
                    slots.Release();
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                    continue;
                }

                Start(claim);
                foreach (var repository in WavePlanner.RestOfJob(claim.Job, claim.Run.Repository, slots.CurrentCount, time.GetUtcNow()))
                {
                    if (!slots.Wait(0, CancellationToken.None))
                    {
                        break;
                    }

                    if (await TryAsync(() => claimer.ClaimAsync(new RunRef(claim.Job.Id, repository), stoppingToken)) is { } next)
                    {
                        Start(next);
                    }
                    else
                    {
                        slots.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the runs in flight release themselves below.
        }

        await Task.WhenAll(running.Keys);
    }

    // A failed look for work is logged and tried again at the next turn of the loop.
    private async Task<RunClaim?> TryAsync(Func<Task<RunClaim?>> claim)
    {
        try
        {
            return await claim();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogClaimFailed(logger, e);
            return null;
        }
    }

    // Each run makes blocking calls on thread-pool threads: the embedded store's driver does its I/O synchronously
    // (its async methods complete on the calling thread), and waiting on a git process's exit holds a thread too. The
    // pool starts with one thread per core and adds more only slowly, so with many runs at once every other piece of
    // work (an API request among them) would queue behind the blocked ones. Its floor is raised to what the runs need.
    private static void RaiseThreadFloor(int concurrency)
    {
        ThreadPool.GetMinThreads(out var workers, out var completion);
        var floor = concurrency + (2 * Environment.ProcessorCount);
        if (floor > workers)
        {
            ThreadPool.SetMinThreads(floor, completion);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} started with {Concurrency} slots")]
    private static partial void LogStarted(ILogger logger, string workerId, int concurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "In-process workers are off (CodyBatch:Worker:Enabled); jobs wait for another worker")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for work failed")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);
}
