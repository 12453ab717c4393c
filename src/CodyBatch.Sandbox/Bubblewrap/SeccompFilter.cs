using System.Buffers.Binary;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// The seccomp program bwrap loads (<c>--seccomp FD</c>) before it runs a command: a classic BPF
/// array of <c>sock_filter</c>s that reads <c>seccomp_data</c> and answers EPERM for what checks
/// never need — new user namespaces (<c>unshare</c>/<c>clone</c> with <c>CLONE_NEWUSER</c>), mounts,
/// <c>ptrace</c> and reading other processes' memory, the kernel keyring, <c>bpf</c>, kernel modules,
/// <c>kexec</c>, <c>perf_event_open</c>, <c>userfaultfd</c> and <c>setns</c> — and lets everything else
/// through. <c>clone3</c> passes its flags in memory a filter cannot read, so it answers ENOSYS and
/// the C library falls back to <c>clone</c>, whose flags it can. Written for x86_64 and aarch64;
/// system calls of any other ABI (32-bit programs, x32) are refused outright.
/// </summary>
internal static class SeccompFilter
{
    public const uint ArchX86_64 = 0xC000_003E;
    public const uint ArchAarch64 = 0xC000_00B7;
    public const uint CloneNewUser = 0x1000_0000;
    public const uint Allow = 0x7FFF_0000;
    public const uint ErrnoBase = 0x0005_0000;
    public const uint Eperm = 1;
    public const uint Enosys = 38;

    // Classic BPF opcodes (linux/bpf_common.h).
    private const ushort LoadWordAbsolute = 0x20;
    private const ushort JumpEqual = 0x15;
    private const ushort JumpGreaterOrEqual = 0x35;
    private const ushort JumpSet = 0x45;
    private const ushort ReturnConstant = 0x06;

    // Offsets in struct seccomp_data: nr, arch, instruction_pointer, args[6] (little-endian; the low half of args[0] first).
    private const uint NrOffset = 0;
    private const uint ArchOffset = 4;
    private const uint FirstArgumentLowOffset = 16;

    /// <summary>The system calls refused per architecture, by name and number (asm/unistd_64.h, asm-generic/unistd.h).</summary>
    public static readonly IReadOnlyDictionary<uint, IReadOnlyDictionary<string, uint>> Denied = new Dictionary<uint, IReadOnlyDictionary<string, uint>>
    {
        [ArchX86_64] = new Dictionary<string, uint>
        {
            ["mount"] = 165, ["umount2"] = 166, ["pivot_root"] = 155, ["open_tree"] = 428, ["move_mount"] = 429, ["fsopen"] = 430,
            ["fsconfig"] = 431, ["fsmount"] = 432, ["fspick"] = 433, ["mount_setattr"] = 442, ["setns"] = 308,
            ["ptrace"] = 101, ["process_vm_readv"] = 310, ["process_vm_writev"] = 311,
            ["add_key"] = 248, ["request_key"] = 249, ["keyctl"] = 250, ["bpf"] = 321,
            ["init_module"] = 175, ["finit_module"] = 313, ["delete_module"] = 176, ["kexec_load"] = 246, ["kexec_file_load"] = 320,
            ["perf_event_open"] = 298, ["userfaultfd"] = 323,
        },
        [ArchAarch64] = new Dictionary<string, uint>
        {
            ["mount"] = 40, ["umount2"] = 39, ["pivot_root"] = 41, ["open_tree"] = 428, ["move_mount"] = 429, ["fsopen"] = 430,
            ["fsconfig"] = 431, ["fsmount"] = 432, ["fspick"] = 433, ["mount_setattr"] = 442, ["setns"] = 268,
            ["ptrace"] = 117, ["process_vm_readv"] = 270, ["process_vm_writev"] = 271,
            ["add_key"] = 217, ["request_key"] = 218, ["keyctl"] = 219, ["bpf"] = 280,
            ["init_module"] = 105, ["finit_module"] = 273, ["delete_module"] = 106, ["kexec_load"] = 104, ["kexec_file_load"] = 294,
            ["perf_event_open"] = 241, ["userfaultfd"] = 282,
        },
    };

    /// <summary>The calls whose first argument is checked for <c>CLONE_NEWUSER</c>: unshare and clone.</summary>
    public static readonly IReadOnlyDictionary<uint, (uint Unshare, uint Clone, uint Clone3)> NamespaceCalls = new Dictionary<uint, (uint, uint, uint)>
    {
        [ArchX86_64] = (272, 56, 435),
        [ArchAarch64] = (97, 220, 435),
    };

    /// <summary>The program as bwrap reads it: <c>struct sock_filter</c> entries of 8 bytes, in this machine's byte order (little-endian on both).</summary>
    public static byte[] Build()
    {
        var program = new Assembler();
        program.Load(ArchOffset);
        program.JumpIfEqual(ArchX86_64, "x86_64");
        program.JumpIfEqual(ArchAarch64, "aarch64");
        program.Return(ErrnoBase | Eperm);
        foreach (var (arch, label) in new[] { (ArchX86_64, "x86_64"), (ArchAarch64, "aarch64") })
        {
            program.Label(label);
            program.Load(NrOffset);
            if (arch == ArchX86_64)
            {
                // The x32 ABI shares x86_64's arch value and sets this bit in the number; nothing here uses it.
                program.JumpIfGreaterOrEqual(0x4000_0000, "deny");
            }

            var (unshare, clone, clone3) = NamespaceCalls[arch];
            program.JumpIfEqual(clone3, "enosys");
            program.JumpIfEqual(unshare, "flags");
            program.JumpIfEqual(clone, "flags");
            foreach (var number in Denied[arch].Values)
            {
                program.JumpIfEqual(number, "deny");
            }

            program.Return(Allow);
        }

        program.Label("flags");
        program.Load(FirstArgumentLowOffset);
        program.JumpIfSet(CloneNewUser, "deny");
        program.Return(Allow);
        program.Label("deny");
        program.Return(ErrnoBase | Eperm);
        program.Label("enosys");
        program.Return(ErrnoBase | Enosys);
        return program.Assemble();
    }

    /// <summary>Forward jumps by label, resolved once every label is placed (classic BPF jumps only forward, at most 255 instructions).</summary>
    private sealed class Assembler
    {
        private readonly List<(ushort Code, string? Target, uint K)> _instructions = [];
        private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);

        public void Label(string name) => _labels.Add(name, _instructions.Count);

        public void Load(uint offset) => _instructions.Add((LoadWordAbsolute, null, offset));

        public void JumpIfEqual(uint value, string target) => _instructions.Add((JumpEqual, target, value));

        public void JumpIfGreaterOrEqual(uint value, string target) => _instructions.Add((JumpGreaterOrEqual, target, value));

        public void JumpIfSet(uint bits, string target) => _instructions.Add((JumpSet, target, bits));

        public void Return(uint action) => _instructions.Add((ReturnConstant, null, action));

        public byte[] Assemble()
        {
            var bytes = new byte[_instructions.Count * 8];
            for (var i = 0; i < _instructions.Count; i++)
            {
                var (code, target, k) = _instructions[i];
                var jump = 0;
                if (target is not null)
                {
                    jump = _labels[target] - i - 1;
                    if (jump is < 0 or > 255)
                    {
                        throw new InvalidOperationException($"The seccomp program cannot jump from {i} to {target}.");
                    }
                }

                var slot = bytes.AsSpan(i * 8, 8);
                BinaryPrimitives.WriteUInt16LittleEndian(slot, code);
                slot[2] = (byte)jump;
                slot[3] = 0;
                BinaryPrimitives.WriteUInt32LittleEndian(slot[4..], k);
            }

            return bytes;
        }
    }
}
