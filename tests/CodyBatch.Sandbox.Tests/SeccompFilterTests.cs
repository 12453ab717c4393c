using System.Buffers.Binary;

namespace CodyBatch.Sandbox.Tests;

/// <summary>
/// The seccomp program, run through a classic BPF interpreter over hand-made <c>seccomp_data</c>,
/// for both architectures: so every refused call is proven refused, not only the ones a check on
/// this machine can try.
/// </summary>
public sealed class SeccompFilterTests
{
    private const uint Eperm = SeccompFilter.ErrnoBase | SeccompFilter.Eperm;
    private const uint Enosys = SeccompFilter.ErrnoBase | SeccompFilter.Enosys;
    private static readonly byte[] Program = SeccompFilter.Build();

    public static TheoryData<uint, string, uint> DeniedCalls()
    {
        var data = new TheoryData<uint, string, uint>();
        foreach (var (arch, calls) in SeccompFilter.Denied)
        {
            foreach (var (name, number) in calls)
            {
                data.Add(arch, name, number);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DeniedCalls))]
    public void Each_listed_call_answers_EPERM(uint arch, string name, uint number)
    {
        Assert.True(Run(arch, number, 0) == Eperm, $"{name} ({number}) on {arch:X} was not refused");
    }

    [Theory]
    [InlineData(SeccompFilter.ArchX86_64, 0u)] // read
    [InlineData(SeccompFilter.ArchX86_64, 1u)] // write
    [InlineData(SeccompFilter.ArchX86_64, 57u)] // fork
    [InlineData(SeccompFilter.ArchX86_64, 59u)] // execve
    [InlineData(SeccompFilter.ArchX86_64, 257u)] // openat
    [InlineData(SeccompFilter.ArchAarch64, 63u)] // read
    [InlineData(SeccompFilter.ArchAarch64, 64u)] // write
    [InlineData(SeccompFilter.ArchAarch64, 221u)] // execve
    [InlineData(SeccompFilter.ArchAarch64, 56u)] // openat
    public void Ordinary_calls_are_allowed(uint arch, uint number) => Assert.Equal(SeccompFilter.Allow, Run(arch, number, 0));

    [Theory]
    [InlineData(SeccompFilter.ArchX86_64)]
    [InlineData(SeccompFilter.ArchAarch64)]
    public void Clone_and_unshare_are_refused_only_with_a_new_user_namespace(uint arch)
    {
        var (unshare, clone, clone3) = SeccompFilter.NamespaceCalls[arch];
        const uint Thread = 0x0001_0000 | 0x0000_0100 | 0x0000_0200 | 0x0000_0400 | 0x0000_0800; // CLONE_THREAD|VM|FS|FILES|SIGHAND
        const uint NewNet = 0x4000_0000;

        Assert.Equal(SeccompFilter.Allow, Run(arch, clone, Thread));
        Assert.Equal(SeccompFilter.Allow, Run(arch, clone, 17)); // SIGCHLD: fork
        Assert.Equal(Eperm, Run(arch, clone, SeccompFilter.CloneNewUser | 17));
        Assert.Equal(Eperm, Run(arch, unshare, SeccompFilter.CloneNewUser));
        Assert.Equal(Eperm, Run(arch, unshare, SeccompFilter.CloneNewUser | NewNet));
        Assert.Equal(SeccompFilter.Allow, Run(arch, unshare, NewNet)); // fails later for want of capabilities
        Assert.Equal(Enosys, Run(arch, clone3, 0));
    }

    [Fact]
    public void Calls_of_other_ABIs_are_refused()
    {
        const uint ArchI386 = 0x4000_0003;
        const uint ArchArm = 0x4000_0028;

        Assert.Equal(Eperm, Run(ArchI386, 3, 0)); // read, 32-bit
        Assert.Equal(Eperm, Run(ArchArm, 3, 0));
        Assert.Equal(Eperm, Run(SeccompFilter.ArchX86_64, 0x4000_0000, 0)); // x32 read
        Assert.Equal(Eperm, Run(SeccompFilter.ArchX86_64, 0x4000_0000 | 101, 0)); // x32 ptrace
    }

    [Fact]
    public void The_program_is_whole_sock_filter_entries_within_the_kernel_s_length()
    {
        Assert.Equal(0, Program.Length % 8);
        Assert.InRange(Program.Length / 8, 1, 4096);
    }

    // A classic BPF interpreter for the instructions the filter uses: ld [k], jeq/jge/jset #k, ret #k.
    private static uint Run(uint arch, uint number, ulong firstArgument)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(data, number);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16), firstArgument);
        uint accumulator = 0;
        for (var pc = 0; pc < Program.Length / 8; pc++)
        {
            var slot = Program.AsSpan(pc * 8, 8);
            var code = BinaryPrimitives.ReadUInt16LittleEndian(slot);
            var (jt, jf) = (slot[2], slot[3]);
            var k = BinaryPrimitives.ReadUInt32LittleEndian(slot[4..]);
            switch (code)
            {
                case 0x20:
                    accumulator = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)k));
                    break;
                case 0x15:
                    pc += accumulator == k ? jt : jf;
                    break;
                case 0x35:
                    pc += accumulator >= k ? jt : jf;
                    break;
                case 0x45:
                    pc += (accumulator & k) != 0 ? jt : jf;
                    break;
                case 0x06:
                    return k;
                default:
                    throw new InvalidOperationException($"Unexpected BPF instruction {code:X} at {pc}.");
            }
        }

        throw new InvalidOperationException("The program ran off its end without returning.");
    }
}
