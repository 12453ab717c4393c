using CodyBatch.Testing.Anthropic;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Testing;

/// <summary>
/// What a repository's README can talk Claude into, scripted: every tool aimed through the hostile
/// links at the victim, then a link swapped into a folder's place with move_path and written "into".
/// </summary>
public static class HostileAgentScript
{
    private static JsonObject Edit(string command, string path, JsonObject? more = null)
    {
        var input = new JsonObject { ["command"] = command, ["path"] = path };
        foreach (var (key, value) in more ?? [])
        {
            input[key] = value?.DeepClone();
        }

        return ToolUse("str_replace_based_edit_tool", input);
    }

    /// <summary>Queues the conversation on <paramref name="api"/>.</summary>
    public static void Enqueue(FakeMessagesApi api, HostileLinks hostile)
    {
        var top = "/repo/" + hostile.Route("top");
        api.Enqueue(
            Message(
                Edit("view", top + "/secret.txt"),
                Edit("view", "/repo/abs"),
                Edit("create", "/repo/abs/planted.txt", new JsonObject { ["file_text"] = "planted" }),
                Edit("str_replace", "/repo/dots/secret.txt", new JsonObject { ["old_str"] = "VICTIM", ["new_str"] = "owned" }),
                Edit("insert", "/repo/hop/secret.txt", new JsonObject { ["insert_line"] = 0, ["insert_text"] = "owned" }),
                ToolUse("delete_path", new JsonObject { ["path"] = top + "/secret.txt" }),
                ToolUse("move_path", new JsonObject { ["from"] = "/repo/hop/dir", ["to"] = "/repo/stolen" }),
                ToolUse("search_code", new JsonObject { ["pattern"] = "VICTIM", ["path"] = "/repo/abs" }),
                ToolUse("replace_all", new JsonObject { ["path"] = "/repo/dots/secret.txt", ["old_str"] = "VICTIM", ["new_str"] = "owned" })),
            Message(
                Edit("create", "/repo/work/notes.txt", new JsonObject { ["file_text"] = "notes\n" }),
                ToolUse("move_path", new JsonObject { ["from"] = "/repo/work", ["to"] = "/repo/work-old" }),
                ToolUse("move_path", new JsonObject { ["from"] = "/repo/abs", ["to"] = "/repo/work" })),
            Message(
                Edit("create", "/repo/work/notes.txt", new JsonObject { ["file_text"] = "planted" }),
                Edit("view", "/repo/work/secret.txt"),
                ToolUse("delete_path", new JsonObject { ["path"] = "/repo/work/dir" })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = "Tried the links." })));
    }

    /// <summary>Checks what the run did: every aimed call refused with the reason, the swap allowed, the victim as it was, its secret never sent.</summary>
    public static void AssertConfined(FakeMessagesApi api, HostileLinks hostile)
    {
        Assert.Empty(api.Problems);
        Assert.Equal(4, api.Requests.Count);
        foreach (var index in new[] { 1, 3 })
        {
            var results = ResultsOf(api, index);
            Assert.NotEmpty(results);
            Assert.All(results, r =>
            {
                Assert.True(r["is_error"]?.GetValue<bool>() == true, r.ToJsonString());
                Assert.Matches("outside the repository|symbolic link", r["content"]!.ToJsonString());
            });
        }

        Assert.All(ResultsOf(api, 2), r => Assert.NotEqual(true, r["is_error"]?.GetValue<bool>()));
        Assert.DoesNotContain(api.Requests, r => r.Body.ToJsonString().Contains(hostile.Secret, StringComparison.Ordinal));
        hostile.AssertUntouched();
    }

    private static List<JsonObject> ResultsOf(FakeMessagesApi api, int index) =>
        [.. api.Requests[index].Body["messages"]!.AsArray()[^1]!["content"]!.AsArray().OfType<JsonObject>().Where(b => b["type"]!.GetValue<string>() == "tool_result")];
}
