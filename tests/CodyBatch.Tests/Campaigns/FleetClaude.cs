using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests.Campaigns;

/// <summary>Claude's scripted answers in fleet campaign tests, on the fake Messages API.</summary>
public static class FleetClaude
{
    /// <summary>A fix run: create BASE_IMAGE, then submit a change with a pull request title.</summary>
    public static FakeReply Fix(FakeRequest request) =>
        request.Body["messages"]!.AsArray().Count == 1
            ? Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "create", ["path"] = "/repo/BASE_IMAGE", ["file_text"] = "new\n" }))
            : Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = "Bumped the base image.", ["pullRequestTitle"] = "Bump the base image" }));
}
