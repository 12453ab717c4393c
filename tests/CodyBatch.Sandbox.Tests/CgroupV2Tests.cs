using System.Diagnostics;

namespace CodyBatch.Sandbox.Tests;

/// <summary>
/// The cgroup v2 code path (the one Amazon Linux 2023 workers take), driven against a folder that mimics the kernel's
/// cgroup v2 files: these machines mount cgroup v1, and a private cgroup2 mount here offers only hugetlb, so v2 limits
/// cannot really be applied here. What is asserted is what the sandbox writes and reads; the v1 path really limits
/// processes and memory in <see cref="HostileCheckTests"/>.
/// </summary>
public sealed class CgroupV2Tests : IDisposable
{
    private readonly TempDirectory _mimic = new("codybatch-cgroup2");
    private readonly string _membership;

    public CgroupV2Tests()
    {
        // A container's own cgroup namespace: this process sits at the root of what it sees.
        File.WriteAllText(_mimic.Combine("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        File.WriteAllText(_mimic.Combine("cgroup.subtree_control"), "");
        File.WriteAllText(_mimic.Combine("cgroup.procs"), $"{Environment.ProcessId}\n");
        _membership = _mimic.Combine("self-cgroup");
        File.WriteAllText(_membership, "0::/\n");
    }

    public void Dispose() => _mimic.Dispose();

    private static string Read(string file) => File.ReadAllText(file).Trim();

    // The folder of the group just created (the mimic keeps the probe's folder: only the kernel's rmdir removes a group with its files).
    private static (CommandCgroup Group, string Folder) Create(Cgroups cgroups, int maxProcesses, long memoryBytes)
    {
        var before = Directory.GetDirectories(cgroups.Parent);
        var group = cgroups.Create(maxProcesses, memoryBytes);
        return (group, Assert.Single(Directory.GetDirectories(cgroups.Parent).Except(before)));
    }

    [Fact]
    public void Opening_v2_hands_memory_and_pids_down_to_a_codybatch_parent()
    {
        var (cgroups, problem) = Cgroups.Open(_mimic.Path, _membership);

        Assert.Null(problem);
        Assert.Equal("cgroup v2", cgroups!.Kind);
        Assert.Equal(_mimic.Combine("codybatch-checks"), cgroups.Parent);
        Assert.Equal("+memory +pids", Read(_mimic.Combine("cgroup.subtree_control")));
        Assert.Equal("+memory +pids", Read(_mimic.Combine("codybatch-checks", "cgroup.subtree_control")));

        // Opening probes: one small group, limited like any other.
        var probe = Assert.Single(Directory.GetDirectories(cgroups.Parent));
        Assert.Equal("8", Read(Path.Combine(probe, "pids.max")));
        Assert.Equal((64L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), Read(Path.Combine(probe, "memory.max")));
    }

    [Fact]
    public void A_command_group_gets_memory_max_and_pids_max_and_the_launcher_joins_through_cgroup_procs()
    {
        var (cgroups, _) = Cgroups.Open(_mimic.Path, _membership);

        var (group, folder) = Create(cgroups!, maxProcesses: 64, memoryBytes: 256L * 1024 * 1024);
        using var _ = group;

        Assert.Equal("268435456", Read(Path.Combine(folder, "memory.max")));
        Assert.Equal("64", Read(Path.Combine(folder, "pids.max")));
        Assert.Equal([Path.Combine(folder, "cgroup.procs")], group.ProcsFiles);
        Assert.False(group.ProcessLimitHit);
        Assert.False(group.MemoryLimitHit);
    }

    [Fact]
    public void Limit_hits_are_read_from_pids_events_and_memory_events()
    {
        var (cgroups, _) = Cgroups.Open(_mimic.Path, _membership);
        var (group, folder) = Create(cgroups!, 64, 1024 * 1024);
        using var _ = group;

        // As the kernel reports them: memory.events counts OOM kills, pids.events counts refused forks.
        File.WriteAllText(Path.Combine(folder, "memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 0\n");
        File.WriteAllText(Path.Combine(folder, "pids.events"), "max 0\n");
        Assert.False(group.MemoryLimitHit, "reaching memory.max is not a kill; only oom_kill is");
        Assert.False(group.ProcessLimitHit);

        File.WriteAllText(Path.Combine(folder, "memory.events"), "low 0\nhigh 0\nmax 40\noom 2\noom_kill 1\n");
        File.WriteAllText(Path.Combine(folder, "pids.events"), "max 3\n");
        Assert.True(group.MemoryLimitHit);
        Assert.True(group.ProcessLimitHit);
    }

    [Fact]
    public void Killing_the_group_writes_cgroup_kill_and_ends_every_member_left()
    {
        var (cgroups, _) = Cgroups.Open(_mimic.Path, _membership);
        var (group, folder) = Create(cgroups!, 64, 1024 * 1024);
        File.WriteAllText(Path.Combine(folder, "cgroup.kill"), "");
        using var member = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;

        // What the launcher does before it becomes bwrap.
        File.WriteAllText(group.ProcsFiles[0], $"{member.Id}\n");
        group.KillAll();

        Assert.Equal("1", Read(Path.Combine(folder, "cgroup.kill")));
        Assert.True(member.HasExited);
        group.Dispose();
    }

    [Fact]
    public void Without_memory_and_pids_delegated_v2_says_so_instead_of_running_unlimited()
    {
        File.WriteAllText(_mimic.Combine("cgroup.controllers"), "hugetlb\n");

        var (cgroups, problem) = Cgroups.Open(_mimic.Path, _membership);

        Assert.Null(cgroups);
        Assert.Contains("not memory and pids", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_group_of_a_process_below_the_root_is_where_the_parent_goes()
    {
        var own = _mimic.Combine("system.slice", "codybatch.service");
        Directory.CreateDirectory(own);
        File.WriteAllText(Path.Combine(own, "cgroup.controllers"), "memory pids\n");
        File.WriteAllText(Path.Combine(own, "cgroup.subtree_control"), "");
        File.WriteAllText(_membership, "0::/system.slice/codybatch.service\n");

        var (cgroups, problem) = Cgroups.Open(_mimic.Path, _membership);

        Assert.Null(problem);
        Assert.Equal(Path.Combine(own, "codybatch-checks"), cgroups!.Parent);
        Assert.Equal("+memory +pids", Read(Path.Combine(own, "cgroup.subtree_control")));
        Assert.Equal("", Read(_mimic.Combine("cgroup.subtree_control")));
    }
}
