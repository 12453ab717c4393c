namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// The session's driver: a bash that runs inside the sandbox for the session's life. It reads one command at a time
/// (a line <c>NONCE LENGTH</c>, then exactly LENGTH bytes of command text), writes it to a file and runs it in a forked
/// subshell (stdin empty, stderr merged into stdout) that first takes the nonce out of its own view, restores the
/// variables, functions, aliases and working directory the previous command left, and saves them when it exits; then
/// the driver prints <c>NONCE:EXITCODE</c>. The subshell is a fork of the driver, not a new bash, and saving and
/// restoring use builtins only, so a command costs one fork. Running each command in a child means a command killed at
/// a limit takes nothing of the session with it, and nothing a command writes is ever run by the driver itself. The
/// nonce is new for every command and never in any process's arguments or environment, so a command cannot fake the
/// end of its own output.
/// </summary>
internal static class ShellDriver
{
    /// <summary>The private folder (a tmpfs) holding the session's state.</summary>
    public const string StateFolder = "/run/codybatch-shell";

    // Variables bash sets itself, or the driver's own; restoring them would fail or mislead.
    private const string Skip = "BASH*|PIPESTATUS|FUNCNAME|GROUPS|RANDOM|SRANDOM|SECONDS|LINENO|SHLVL|PPID|UID|EUID|_|OLDPWD|PWD|SHELLOPTS|BASHOPTS|HISTCMD|EPOCHREALTIME|EPOCHSECONDS|DIRSTACK|COMP_WORDBREAKS|__cb_*";

    private const string Driver = $$"""
        __cb_s={{StateFolder}}
        cd /repo || exit 1
        : > "$__cb_s/state"
        __cb_save() {
          __cb_rc=$?
          trap - EXIT
          {
            for __cb_v in $(compgen -v); do
              case $__cb_v in {{Skip}}) ;; *) declare -p "$__cb_v" 2>/dev/null ;; esac
            done
            declare -f
            alias -p
            printf 'cd -- %q 2>/dev/null\n' "$PWD"
          } > "$__cb_s/state"
          exit $__cb_rc
        }
        while IFS=' ' read -r __cb_nonce __cb_length; do
          if [[ $__cb_length =~ ^[0-9]+$ ]] && { [ "$__cb_length" = 0 ] || IFS= read -r -d '' -N "$__cb_length" __cb_command; }; then
            [ "$__cb_length" = 0 ] && __cb_command=
            printf '%s' "$__cb_command" > "$__cb_s/command"
            (
              unset __cb_nonce __cb_command __cb_length
              . "$__cb_s/state" 2>/dev/null
              trap __cb_save EXIT
              . "$__cb_s/command"
            ) < /dev/null 2>&1
            __cb_rc=$?
          else
            __cb_rc=126
          fi
          printf '%s:%s\n' "$__cb_nonce" "$__cb_rc"
        done
        """;

    /// <summary>The driver script, for <c>/bin/sh -c</c>: it becomes bash (the sandbox sets no locale, so lengths count bytes).</summary>
    public static string Script { get; } = $"exec /bin/bash --noprofile --norc -c '{Driver.Replace("'", "'\"'\"'", StringComparison.Ordinal)}'";
}
