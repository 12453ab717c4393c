namespace CodyBatch.Testing.GitHub;

/// <summary>One field of a GraphQL selection: <c>alias: name(arguments) { selections }</c>, or an inline fragment <c>... on Type { }</c>.</summary>
internal sealed record GraphQlField(string Name, string? Alias, IReadOnlyDictionary<string, JsonNode?> Arguments, IReadOnlyList<GraphQlField> Selections, string? OnType = null, int Line = 1, int Column = 1)
{
    public string Key => Alias ?? Name;
}

/// <summary>
/// A small reader of GraphQL query documents (the October 2021 specification's executable subset): one
/// anonymous or named <c>query</c> with variables, fields with aliases and arguments (ints, strings, enums,
/// booleans, null, lists, objects, variables), named fragments and inline fragments. What it cannot read is a
/// <see cref="FormatException"/> with the line and column, as GitHub reports a parse error.
/// </summary>
internal sealed class GraphQlDocument
{
    private readonly string _text;
    private readonly JsonObject _variables;
    private readonly Dictionary<string, (string OnType, int Start)> _fragments = [];
    private int _at;

    private GraphQlDocument(string text, JsonObject variables)
    {
        _text = text;
        _variables = variables;
    }

    /// <summary>The operation's top-level selections, with fragments spread in place.</summary>
    public static IReadOnlyList<GraphQlField> Parse(string text, JsonObject? variables)
    {
        var document = new GraphQlDocument(text, variables ?? []);
        return document.ReadDocument();
    }

    private IReadOnlyList<GraphQlField> ReadDocument()
    {
        // First pass: where each named fragment starts, so a spread can be read before or after its definition.
        int? operation = null;
        while (Peek() is not null)
        {
            if (TryWord("fragment"))
            {
                var name = Name();
                Expect("on");
                var type = Name();
                _fragments[name] = (type, _at);
                SkipBlock();
            }
            else
            {
                if (operation is not null)
                {
                    throw Error("this API reads one operation per document");
                }

                operation = _at;
                if (TryWord("mutation") || TryWord("subscription"))
                {
                    throw Error("only queries are supported here");
                }

                if (TryWord("query"))
                {
                    if (Peek() is not ('{' or '('))
                    {
                        Name();
                    }

                    if (Peek() == '(')
                    {
                        SkipParentheses();
                    }
                }

                SkipBlock();
            }
        }

        if (operation is null)
        {
            throw Error("no operation");
        }

        _at = operation.Value;
        if (TryWord("query"))
        {
            if (Peek() is not ('{' or '('))
            {
                Name();
            }

            if (Peek() == '(')
            {
                SkipParentheses();
            }
        }

        return SelectionSet();
    }

    private List<GraphQlField> SelectionSet()
    {
        Expect("{");
        var fields = new List<GraphQlField>();
        while (Peek() != '}')
        {
            var (line, column) = Position();
            if (TryWord("..."))
            {
                if (TryWord("on"))
                {
                    var type = Name();
                    fields.Add(new GraphQlField("...", null, new Dictionary<string, JsonNode?>(), SelectionSet(), type, line, column));
                    continue;
                }

                var fragment = Name();
                if (!_fragments.TryGetValue(fragment, out var definition))
                {
                    throw Error($"Fragment {fragment} was used, but not defined");
                }

                var resume = _at;
                _at = definition.Start;
                fields.Add(new GraphQlField("...", null, new Dictionary<string, JsonNode?>(), SelectionSet(), definition.OnType, line, column));
                _at = resume;
                continue;
            }

            var name = Name();
            string? alias = null;
            if (Peek() == ':')
            {
                _at++;
                alias = name;
                name = Name();
            }

            var arguments = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            if (Peek() == '(')
            {
                _at++;
                while (Peek() != ')')
                {
                    var argument = Name();
                    Expect(":");
                    arguments[argument] = Value();
                    if (Peek() == ',')
                    {
                        _at++;
                    }
                }

                _at++;
            }

            var selections = Peek() == '{' ? SelectionSet() : [];
            fields.Add(new GraphQlField(name, alias, arguments, selections, null, line, column));
            if (Peek() == ',')
            {
                _at++;
            }
        }

        _at++;
        return fields;
    }

    private JsonNode? Value()
    {
        var next = Peek();
        switch (next)
        {
            case '$':
                _at++;
                var variable = Name();
                return _variables.TryGetPropertyValue(variable, out var value) ? value?.DeepClone() : throw Error($"Variable ${variable} is not provided");
            case '"':
                return JsonValue.Create(String());
            case '[':
            {
                _at++;
                var list = new JsonArray();
                while (Peek() != ']')
                {
                    list.Add(Value());
                    if (Peek() == ',')
                    {
                        _at++;
                    }
                }

                _at++;
                return list;
            }

            case '{':
            {
                _at++;
                var obj = new JsonObject();
                while (Peek() != '}')
                {
                    var key = Name();
                    Expect(":");
                    obj[key] = Value();
                    if (Peek() == ',')
                    {
                        _at++;
                    }
                }

                _at++;
                return obj;
            }

            case not null when next == '-' || char.IsAsciiDigit(next.Value):
            {
                var start = _at;
                _at++;
                while (_at < _text.Length && (char.IsAsciiDigit(_text[_at]) || _text[_at] is '.' or 'e' or 'E'))
                {
                    _at++;
                }

                var number = _text[start.._at];
                return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                    ? JsonValue.Create(integer)
                    : JsonValue.Create(double.Parse(number, CultureInfo.InvariantCulture));
            }

            default:
                var word = Name();
                return word switch
                {
                    "true" => JsonValue.Create(true),
                    "false" => JsonValue.Create(false),
                    "null" => null,
                    _ => JsonValue.Create(word), // an enum value
                };
        }
    }

    private string String()
    {
        _at++;
        var text = new StringBuilder();
        while (_at < _text.Length && _text[_at] != '"')
        {
            if (_text[_at] == '\\' && _at + 1 < _text.Length)
            {
                _at++;
                text.Append(_text[_at] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'u' => (char)Convert.ToInt32(_text.Substring(_at + 1, 4), 16),
                    var c => c,
                });
                if (_text[_at] == 'u')
                {
                    _at += 4;
                }
            }
            else
            {
                text.Append(_text[_at]);
            }

            _at++;
        }

        if (_at >= _text.Length)
        {
            throw Error("unterminated string");
        }

        _at++;
        return text.ToString();
    }

    private string Name()
    {
        Peek();
        var start = _at;
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '_'))
        {
            _at++;
        }

        return _at > start ? _text[start.._at] : throw Error($"Expected a name, found {(start < _text.Length ? $"'{_text[start]}'" : "the end")}");
    }

    private bool TryWord(string word)
    {
        Peek();
        if (string.CompareOrdinal(_text, _at, word, 0, word.Length) != 0)
        {
            return false;
        }

        var end = _at + word.Length;
        if (word != "..." && end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_'))
        {
            return false;
        }

        _at = end;
        return true;
    }

    private void Expect(string token)
    {
        if (!TryWord(token))
        {
            throw Error($"Expected {token}");
        }
    }

    private void SkipBlock()
    {
        Expect("{");
        for (var depth = 1; depth > 0; _at++)
        {
            if (_at >= _text.Length)
            {
                throw Error("Expected }");
            }

            if (_text[_at] == '"')
            {
                String();
                _at--;
            }
            else
            {
                depth += _text[_at] switch { '{' => 1, '}' => -1, _ => 0 };
            }
        }
    }

    private void SkipParentheses()
    {
        while (_at < _text.Length && _text[_at] != ')')
        {
            _at++;
        }

        _at++;
    }

    // Skips white space, commas (insignificant in GraphQL) and comments; the next character or null at the end.
    private char? Peek()
    {
        while (_at < _text.Length)
        {
            if (char.IsWhiteSpace(_text[_at]) || _text[_at] == ',' || _text[_at] == '\uFEFF')
            {
                _at++;
            }
            else if (_text[_at] == '#')
            {
                while (_at < _text.Length && _text[_at] != '\n')
                {
                    _at++;
                }
            }
            else
            {
                return _text[_at];
            }
        }

        return null;
    }

    private (int Line, int Column) Position()
    {
        var line = 1 + _text.AsSpan(0, _at).Count('\n');
        var column = _at - _text.LastIndexOf('\n', Math.Max(0, _at - 1));
        return (line, column);
    }

    private FormatException Error(string message)
    {
        var (line, column) = Position();
        return new FormatException($"Parse error on line {line}, column {column}: {message}");
    }
}
