namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// The session's driver: a small POSIX shell script that runs inside the sandbox for the session's life. It reads one
/// command per line (<c>NONCE BASE64</c>), runs it with bash in a child process (stdin empty, stderr merged into
/// stdout) that first restores the variables, functions and working directory the previous command left and saves
/// them when it exits, then prints <c>NONCE:EXITCODE</c>. Running each command in a child means a command killed at a
/// limit takes nothing of the session with it. The nonce is new for every command and never in any process's
/// arguments or environment, so a command cannot fake the end of its own output.
/// </summary>
internal static class ShellDriver
{
    /// <summary>The private folder (a tmpfs) holding the session's state.</summary>
    public const string StateFolder = "/run/codybatch-shell";

    // Variables bash sets itself or that are read-only; restoring them would fail or mislead.
    private const string Skip = "^declare -[-a-zA-Z]*r[-a-zA-Z]* |^declare -[-a-zA-Z]* (BASH[A-Z_]*|PIPESTATUS|FUNCNAME|GROUPS|RANDOM|SRANDOM|SECONDS|LINENO|SHLVL|PPID|UID|EUID|_|OLDPWD|PWD|SHELLOPTS|BASHOPTS|HISTCMD|EPOCHREALTIME|EPOCHSECONDS|DIRSTACK|COMP_WORDBREAKS|__cb_[a-z]*)=";

    private const string Child = """
        __cb_s=/run/codybatch-shell
        . "$__cb_s/state" 2>/dev/null
        read -r __cb_cwd < "$__cb_s/cwd"; cd "$__cb_cwd" 2>/dev/null || cd /repo; unset __cb_cwd
        __cb_save() {
          __cb_rc=$?
          unset -f __cb_save
          { declare -p | grep -Ev "$__cb_skip"; declare -f; alias -p; } > "$__cb_s/state" 2>/dev/null
          printf '%s\n' "$PWD" > "$__cb_s/cwd"
          exit $__cb_rc
        }
        trap __cb_save EXIT
        . "$__cb_s/command"
        """;

    /// <summary>The driver script, for <c>/bin/sh -c</c>.</summary>
    public static string Script { get; } = $$"""
        s={{StateFolder}}
        cd /repo || exit 1
        echo /repo > "$s/cwd"
        : > "$s/state"
        while IFS=' ' read -r nonce encoded; do
          if printf '%s' "$encoded" | base64 -d > "$s/command" 2>/dev/null; then
            __cb_skip='{{Skip}}' /bin/bash --noprofile --norc -c '{{Child.Replace("'", "'\"'\"'", StringComparison.Ordinal)}}' < /dev/null 2>&1
            rc=$?
          else
            rc=126
          fi
          printf '%s:%s\n' "$nonce" "$rc"
        done
        """;
}
