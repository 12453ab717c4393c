using CodyBatch.Core.Workspaces;

namespace CodyBatch.Sandbox.Tests;

/// <summary>
/// Checks that try what a sandbox escape needs: the host's root identity, new user namespaces,
/// mounts, ptrace, the kernel keyring and friends, the host's private files, and the disk.
/// </summary>
public sealed class HardenedSandboxTests : IDisposable
{
    private const string SyscallProbe = """
        python3 - <<'PY'
        import ctypes, errno, platform
        libc = ctypes.CDLL(None, use_errno=True)
        numbers = {
            "x86_64": dict(ptrace=101, keyctl=250, add_key=248, request_key=249, bpf=321, perf_event_open=298,
                           init_module=175, finit_module=313, delete_module=176, mount=165, unshare=272, clone3=435, getpid=39),
            "aarch64": dict(ptrace=117, keyctl=219, add_key=217, request_key=218, bpf=280, perf_event_open=241,
                            init_module=105, finit_module=273, delete_module=106, mount=40, unshare=97, clone3=435, getpid=172),
        }[platform.machine()]
        def call(name, *args):
            result = libc.syscall(ctypes.c_long(numbers[name]), *[ctypes.c_long(a) for a in args])
            code = ctypes.get_errno()
            print("SYSCALL", name, "ok" if result != -1 else errno.errorcode.get(code, code))
        call("ptrace", 0, 0, 0, 0)          # PTRACE_TRACEME: succeeds for anyone without a filter
        call("keyctl", 0, -3, 1)            # KEYCTL_GET_KEYRING_ID of the session keyring, creating it
        call("add_key", 0, 0, 0, 0, 0)
        call("request_key", 0, 0, 0, 0)
        call("bpf", 0, 0, 0)
        call("perf_event_open", 0, 0, -1, -1, 0)
        call("init_module", 0, 0, 0)
        call("finit_module", -1, 0, 0)
        call("delete_module", 0, 0)
        call("mount", 0, 0, 0, 0, 0)
        call("unshare", 0x10000000)         # CLONE_NEWUSER
        call("clone3", 0, 0)
        call("getpid")
        import threading, subprocess
        t = threading.Thread(target=lambda: print("THREAD ran")); t.start(); t.join()
        print("SUBPROCESS", subprocess.run(["true"]).returncode)
        PY
        """;

    private readonly TempDirectory _root = new("codybatch-hardened");

    public HardenedSandboxTests() => Directory.CreateDirectory(Tree);

    private string Tree => _root.Combine("run", "checks");

    [Fact]
    public async Task A_check_runs_as_an_unprivileged_host_user_and_cannot_read_a_root_only_file()
    {
        // A folder the operator shows read-only (CodyBatch:Checks:ReadOnlyPaths) holding a root-only key, like /etc/ssl/private.
        var shown = _root.Combine("toolchain");
        Directory.CreateDirectory(shown);
        var key = Path.Combine(shown, "private.key");
        await File.WriteAllTextAsync(key, "root-only-secret-material");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(_root.Path, (UnixFileMode)0b111_101_101);

        var result = await Sandbox.RunAsync(
            Sandbox.Runner(o => o.ReadOnlyPaths = [shown]),
            Tree,
            $"id -u; echo x > written; cat {key} 2>&1; ls /etc/ssl/private 2>&1; cat /etc/ssl/private/ssl-cert-snakeoil.key 2>&1; grep -E '^(Cap(Eff|Prm|Bnd)|NoNewPrivs|Seccomp):' /proc/self/status");

        Assert.DoesNotContain("root-only-secret-material", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{key}: Permission denied", result.Output, StringComparison.Ordinal);
        Assert.Contains("/etc/ssl/private': No such file or directory", result.Output, StringComparison.Ordinal);
        Assert.StartsWith("1000\n", result.Output, StringComparison.Ordinal);
        var owner = await HostOwnerAsync(Path.Combine(Tree, "written"));
        Assert.NotEqual("0", owner);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal("65534:65534", owner);
        }

        Assert.Contains("CapEff:\t0000000000000000", result.Output, StringComparison.Ordinal);
        Assert.Contains("NoNewPrivs:\t1", result.Output, StringComparison.Ordinal);
        Assert.Contains("Seccomp:\t2", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tree_below_a_folder_closed_to_the_sandbox_s_user_is_still_its_repository()
    {
        // A data folder of 0700 (root's home, say): the launcher binds the tree where the sandbox's user can reach it.
        File.SetUnixFileMode(_root.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await Sandbox.RunAsync(Sandbox.Runner(), Tree, "echo written > made-inside && ls /repo && id -u");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Combine(Tree, "made-inside")));
    }

    [Fact]
    public async Task Only_the_listed_etc_entries_are_there_with_a_passwd_of_the_sandbox_s_own()
    {
        var result = await Sandbox.RunAsync(Sandbox.Runner(), Tree, "ls -a /etc; echo ---; cat /etc/passwd; echo ---; ls /etc/ssl; whoami");

        var sections = result.Output.Split("---\n");
        var etc = sections[0].Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.DoesNotContain("shadow", etc);
        Assert.DoesNotContain("gshadow", etc);
        Assert.DoesNotContain("sudoers", etc);
        Assert.DoesNotContain("machine-id", etc);
        Assert.Contains("passwd", etc);
        Assert.Contains("ld.so.cache", etc);
        Assert.Equal(
            "root:x:0:0:root:/root:/bin/sh\ncheck:x:1000:1000:Cody Batch check:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
            sections[1]);
        Assert.DoesNotContain("private", sections[2], StringComparison.Ordinal);
        Assert.EndsWith("check\n", sections[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_cannot_create_a_user_namespace_or_mount()
    {
        var result = await Sandbox.RunAsync(
            Sandbox.Runner(),
            Tree,
            "unshare -U true; echo \"user=$?\"; unshare -Urm sh -c 'mount -t tmpfs none /tmp && echo MOUNTED'; echo \"userns-mount=$?\"; " +
            "mount -t tmpfs none /tmp 2>&1; echo \"mount=$?\"; cat /proc/sys/user/max_user_namespaces");

        Assert.Contains("user=1", result.Output, StringComparison.Ordinal);
        Assert.Contains("userns-mount=1", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("MOUNTED", result.Output, StringComparison.Ordinal);
        Assert.Matches("mount=(1|32)", result.Output);
        Assert.Contains("unshare failed: Operation not permitted", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ptrace_keyring_bpf_modules_and_perf_calls_are_refused_while_threads_and_processes_work()
    {
        var result = await Sandbox.RunAsync(Sandbox.Runner(), Tree, SyscallProbe);

        foreach (var call in new[] { "ptrace", "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "init_module", "finit_module", "delete_module", "mount", "unshare" })
        {
            Assert.Contains($"SYSCALL {call} EPERM\n", result.Output, StringComparison.Ordinal);
        }

        // clone3's flags cannot be inspected, so it reports "not implemented" and the C library falls back to clone.
        Assert.Contains("SYSCALL clone3 ENOSYS\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("SYSCALL getpid ok\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("THREAD ran", result.Output, StringComparison.Ordinal);
        Assert.Contains("SUBPROCESS 0", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task A_check_cannot_attach_to_another_process_with_strace_or_gdb()
    {
        var result = await Sandbox.RunAsync(
            Sandbox.Runner(),
            Tree,
            "sleep 30 & victim=$!; " +
            "python3 -c \"import ctypes,sys; libc=ctypes.CDLL(None,use_errno=True); r=libc.ptrace(16, int(sys.argv[1]), 0, 0); print('ATTACH', r, ctypes.get_errno())\" $victim; " +
            "if command -v strace >/dev/null; then strace -p $victim -e trace=none 2>&1 | head -2; fi; kill $victim");

        Assert.Contains("ATTACH -1 1\n", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("attached", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_that_writes_past_the_disk_limit_is_stopped_with_the_reason_and_the_host_disk_is_untouched()
    {
        var runner = Sandbox.Runner(o => o.DiskLimitMb = 16);
        if (!Environment.IsPrivilegedProcess)
        {
            // Without root the tree cannot be mounted: a bound that cannot hold is refused, not pretended.
            Assert.Contains("needs Cody Batch to run as root", await runner.UnavailableReasonAsync(CancellationToken.None), StringComparison.Ordinal);
            return;
        }

        var result = await Sandbox.RunAsync(runner, Tree, "head -c 64m /dev/zero > big; echo \"write=$?\"; sleep 30");
        var written = new FileInfo(Path.Combine(Tree, "big")).Length;
        var tmp = await Sandbox.RunAsync(runner, Tree, "rm -f big; head -c 64m /dev/zero > /tmp/big; echo \"tmp=$?\"");

        Assert.Null(result.ExitCode);
        Assert.Equal("stopped at the disk limit of 16 MiB (CodyBatch:Checks:DiskLimitMb)", result.Limit);
        Assert.True(written <= 16L * 1024 * 1024, $"{written} bytes written");
        Assert.Contains(MountedFolders.Under(Tree), m => m.Type == "tmpfs" && m.MountPoint == Tree);
        Assert.Contains("No space left on device", tmp.Output, StringComparison.Ordinal);
        Assert.Contains("tmp=1", tmp.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_a_check_leaves_locked_up_is_still_read_and_removed_by_Cody_Batch()
    {
        var result = await Sandbox.RunAsync(
            Sandbox.Runner(),
            Tree,
            "mkdir -p locked/deeper && echo kept > locked/deeper/file && chmod 000 locked/deeper/file locked/deeper locked && ln -s /etc/hostname link && echo done");
        var file = Path.Combine(Tree, "locked", "deeper", "file");

        Assert.Contains("done", result.Output, StringComparison.Ordinal);
        Assert.Equal("kept\n", await File.ReadAllTextAsync(file));
        MountedFolders.DetachUnder(_root.Path);
        Directory.Delete(_root.Combine("run"), recursive: true);
        Assert.False(Directory.Exists(_root.Combine("run")));
        Assert.True(File.Exists("/etc/hostname"));
    }

    public void Dispose() => _root.Dispose();

    private static async Task<string> HostOwnerAsync(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat") { RedirectStandardOutput = true, ArgumentList = { "-c", "%u:%g", path } };
        using var process = System.Diagnostics.Process.Start(start)!;
        var owner = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        return owner;
    }
}
