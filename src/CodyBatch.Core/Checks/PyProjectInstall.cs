namespace CodyBatch.Core.Checks;

/// <summary>
/// What a <c>pyproject.toml</c> without a lock or requirements file asks to install: the project itself (editable, so the
/// checks test the tree's code, not a copy) when its <c>[project]</c> table lists <c>dependencies</c> or has a test
/// extra (<c>test</c>, <c>tests</c>, <c>testing</c> or <c>dev</c> under <c>[project.optional-dependencies]</c>), with
/// that extra. A file with only tool settings (<c>[tool.pytest.ini_options]</c>) asks for nothing. Read line by line:
/// table headers, and the arrays of those keys (quoted strings may hold brackets, <c>"uvicorn[standard]"</c>).
/// </summary>
internal static class PyProjectInstall
{
    private static readonly string[] TestExtras = ["test", "tests", "testing", "dev"];

    /// <summary>The pip target (<c>.</c> or <c>'.[test]'</c>), or null when the file asks for nothing.</summary>
    public static string? Target(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var table = "";
        var dependencies = false;
        string? extra = null;
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('[') && !line.StartsWith("[[", StringComparison.Ordinal))
            {
                table = line.Split('#')[0].Trim().Trim('[', ']').Trim();
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || table is not ("project" or "project.optional-dependencies"))
            {
                continue;
            }

            var key = line[..equals].Trim().Trim('"', '\'');
            var wanted = table == "project" ? key == "dependencies" : TestExtras.Contains(key, StringComparer.Ordinal);
            if (!wanted || !ListsSomething(lines, i, equals + 1))
            {
                continue;
            }

            if (table == "project")
            {
                dependencies = true;
            }
            else if (extra is null || Array.IndexOf(TestExtras, key) < Array.IndexOf(TestExtras, extra))
            {
                extra = key;
            }
        }

        return extra is not null ? $"'.[{extra}]'" : dependencies ? "." : null;
    }

    // Whether the array that starts after the '=' holds at least one quoted string (it may run over several lines).
    private static bool ListsSomething(string[] lines, int index, int start)
    {
        var depth = 0;
        char? quote = null;
        for (var i = index; i < lines.Length; i++)
        {
            var line = lines[i];
            for (var j = i == index ? start : 0; j < line.Length; j++)
            {
                var c = line[j];
                if (quote is not null)
                {
                    if (c == quote)
                    {
                        return true;
                    }

                    continue;
                }

                switch (c)
                {
                    case '#':
                        j = line.Length;
                        break;
                    case '[':
                        depth++;
                        break;
                    case ']':
                        if (--depth <= 0)
                        {
                            return false;
                        }

                        break;
                    case '"' or '\'' when depth > 0:
                        quote = c;
                        break;
                    case not (' ' or '\t') when depth == 0:
                        return false;
                }
            }
        }

        return false;
    }
}
