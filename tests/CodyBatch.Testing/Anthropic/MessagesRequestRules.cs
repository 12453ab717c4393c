namespace CodyBatch.Testing.Anthropic;

/// <summary>
/// What the Messages API refuses, as its documentation and its error messages describe it: the
/// required fields, alternating roles, a result for every tool call, at most four cache
/// breakpoints, the beta header context editing needs, and extended thinking's rules — a budget
/// of at least 1,024 tokens below <c>max_tokens</c>, no forced tool choice, thinking blocks sent
/// back exactly as issued (their signature is checked), and in a tool-use loop the final assistant
/// turn starting with a thinking block.
/// </summary>
internal sealed class MessagesRequestRules
{
    public const string ContextManagementBeta = "context-management-2025-06-27";
    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The signature the fake gives a thinking block (a real one is opaque too).</summary>
    public string Sign(string thinking) => Convert.ToBase64String(HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes(thinking)));

    /// <summary>Opaque data for a redacted thinking block, checkable like a signature.</summary>
    public string Redacted(string hidden)
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(hidden));
        return $"{payload}.{Sign(payload)}";
    }

    /// <summary>The refusal message, or null when the request is acceptable.</summary>
    public string? Validate(JsonObject body, IReadOnlyDictionary<string, string> headers)
    {
        if (body["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String)
        {
            return "model: Field required";
        }

        if (body["max_tokens"] is not JsonValue maxTokens || maxTokens.GetValueKind() != JsonValueKind.Number || maxTokens.GetValue<long>() < 1)
        {
            return "max_tokens: Field required";
        }

        if (body["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return "messages: at least one message is required";
        }

        var name = model.GetValue<string>();
        var most = MaxOutputTokens(name);
        if (maxTokens.GetValue<long>() > most)
        {
            return $"max_tokens: {maxTokens.GetValue<long>()} > {most}, which is the maximum allowed number of output tokens for {name}";
        }

        if (body["context_management"] is { } management)
        {
            if (!(headers.TryGetValue("anthropic-beta", out var betas) && betas.Split(',').Select(b => b.Trim()).Contains(ContextManagementBeta)))
            {
                return "context_management: Extra inputs are not permitted";
            }

            var edits = management["edits"] as JsonArray ?? [];
            if (edits.FirstOrDefault(e => e?["type"]?.GetValue<string>() is not ("clear_tool_uses_20250919" or "clear_thinking_20251015")) is { } unknown)
            {
                return $"context_management.edits.{edits.IndexOf(unknown)}: Input tag '{unknown?["type"]}' found using 'type' does not match any of the expected tags: 'clear_tool_uses_20250919', 'clear_thinking_20251015'";
            }
        }

        var thinking = body["thinking"] as JsonObject;
        var thinkingOn = thinking?["type"]?.GetValue<string>() == "enabled";
        if (thinkingOn && ThinkingSettings(body, thinking!) is { } badThinking)
        {
            return badThinking;
        }

        var breakpoints = 0;
        foreach (var tool in body["tools"]?.AsArray() ?? [])
        {
            if (tool?["name"] is null)
            {
                return "tools: each tool needs a name";
            }

            if (tool["type"]?.GetValue<string>() is { } toolType && toolType != "custom" && AnthropicTool(tool.AsObject(), toolType) is { } badTool)
            {
                return badTool;
            }

            breakpoints += tool["cache_control"] is null ? 0 : 1;
        }

        breakpoints += body["system"] is JsonArray system ? system.Count(b => b?["cache_control"] is not null) : 0;
        HashSet<string> pendingToolUses = [];
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i]!;
            var role = message["role"]?.GetValue<string>();
            if (role != (i % 2 == 0 ? "user" : "assistant"))
            {
                return $"messages.{i}: roles must alternate between \"user\" and \"assistant\", starting with \"user\"";
            }

            var blocks = message["content"] is JsonArray array ? array.Select(b => b!.AsObject()).ToList() : [];
            breakpoints += blocks.Count(b => b["cache_control"] is not null);
            if (role == "user")
            {
                var results = blocks.Where(b => b["type"]?.GetValue<string>() == "tool_result").Select(b => b["tool_use_id"]!.GetValue<string>()).ToHashSet();
                if (!pendingToolUses.SetEquals(results))
                {
                    return $"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately after";
                }

                pendingToolUses.Clear();
            }
            else
            {
                if (ThinkingBlocks(blocks, i) is { } altered)
                {
                    return altered;
                }

                pendingToolUses = [.. blocks.Where(b => b["type"]?.GetValue<string>() == "tool_use").Select(b => b["id"]!.GetValue<string>())];
            }
        }

        if (messages.Count % 2 == 0 && pendingToolUses.Count > 0)
        {
            return "the last assistant message has tool calls without results";
        }

        if (thinkingOn && FinalAssistantTurn(messages) is { } noThinking)
        {
            return noThinking;
        }

        return breakpoints > 4 ? $"A maximum of 4 blocks with cache_control may be provided. Found {breakpoints}." : null;
    }

    // The models' output limits as Anthropic's model overview lists them.
    private static int MaxOutputTokens(string model) =>
        model.StartsWith("claude-opus-4-5", StringComparison.Ordinal) ? 64_000
        : model.StartsWith("claude-opus-4", StringComparison.Ordinal) ? 32_000
        : model.StartsWith("claude-3-5-haiku", StringComparison.Ordinal) || model.StartsWith("claude-3-haiku", StringComparison.Ordinal) ? 8_192
        : 64_000;

    private static string? ThinkingSettings(JsonObject body, JsonObject thinking)
    {
        if (thinking["budget_tokens"] is not JsonValue budgetValue || !budgetValue.TryGetValue<long>(out var budget))
        {
            return "thinking.enabled.budget_tokens: Field required";
        }

        if (budget < 1024)
        {
            return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024";
        }

        if (budget >= body["max_tokens"]!.GetValue<long>())
        {
            return "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size";
        }

        if (body["temperature"] is not null && body["temperature"]!.GetValue<double>() != 1.0 || body["top_k"] is not null)
        {
            return "`temperature` may only be set to 1 when thinking is enabled, and `top_k` may not be set. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility";
        }

        return body["tool_choice"]?["type"]?.GetValue<string>() is "any" or "tool"
            ? "Thinking may not be enabled when tool_choice forces tool use."
            : null;
    }

    // Every thinking block must be one the API issued, byte for byte: its signature covers its text.
    private string? ThinkingBlocks(List<JsonObject> blocks, int message)
    {
        for (var j = 0; j < blocks.Count; j++)
        {
            var block = blocks[j];
            switch (block["type"]?.GetValue<string>())
            {
                case "thinking":
                    var text = block["thinking"]?.GetValue<string>();
                    var signature = block["signature"]?.GetValue<string>();
                    if (text is null || signature is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Sign(text)), Encoding.UTF8.GetBytes(signature)))
                    {
                        return $"messages.{message}.content.{j}: Invalid `signature` in `thinking` block";
                    }

                    break;
                case "redacted_thinking":
                    var data = block["data"]?.GetValue<string>() ?? "";
                    var dot = data.LastIndexOf('.');
                    if (dot < 0 || Sign(data[..dot]) != data[(dot + 1)..])
                    {
                        return $"messages.{message}.content.{j}: Invalid `data` in `redacted_thinking` block";
                    }

                    break;
            }
        }

        return null;
    }

    // With thinking on, a request that continues a tool-use loop (the last message carries tool
    // results) needs the assistant turn that made those calls to begin with a thinking block.
    private static string? FinalAssistantTurn(JsonArray messages)
    {
        var last = messages[^1]!;
        var continuesToolUse = last["role"]?.GetValue<string>() == "user"
            && last["content"] is JsonArray content && content.Any(b => b?["type"]?.GetValue<string>() == "tool_result");
        if (!continuesToolUse || messages.Count < 2)
        {
            return null;
        }

        var index = messages.Count - 2;
        var first = messages[index]!["content"] is JsonArray blocks && blocks.Count > 0 ? blocks[0]!["type"]?.GetValue<string>() : null;
        return first is "thinking" or "redacted_thinking"
            ? null
            : $"messages.{index}.content.0.type: found `{first}` where thinking is on: a final `assistant` message must start with a thinking block (`thinking` or `redacted_thinking`) before its `tool_use` blocks; send back the thinking blocks of earlier turns, or turn thinking off.";
    }

    // Anthropic-defined tools (client tools with a fixed schema): each version has its one name and takes no
    // input_schema or description; the bash tool is `bash_20250124` named `bash`, the text editor
    // `text_editor_20250728` named `str_replace_based_edit_tool`.
    private static string? AnthropicTool(JsonObject tool, string type)
    {
        var expected = type switch
        {
            "bash_20250124" => "bash",
            "text_editor_20250728" => "str_replace_based_edit_tool",
            _ => null,
        };
        if (expected is null)
        {
            return $"tools: unknown tool type {type}";
        }

        if (tool["name"]!.GetValue<string>() != expected)
        {
            return $"tools: the {type} tool must be named \"{expected}\"";
        }

        return tool.Select(p => p.Key).FirstOrDefault(k => k is not ("type" or "name" or "cache_control") && !(k == "max_characters" && type == "text_editor_20250728")) is { } extra
            ? $"tools.{type}.{extra}: Extra inputs are not permitted"
            : null;
    }
}
