using System.Text.Json.Nodes;
using CodyBatch.Core.PullRequests;
using CodyBatch.GitHub.Api;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// Publishes a run's verification on a pull request's head commit: as a check run when the service account
/// is a GitHub App (only Apps may create check runs; it needs <c>checks: write</c>), with the table as
/// <c>output.summary</c>; as the commit status <c>codybatch/verification</c> with a token (it needs push access).
/// </summary>
internal sealed class GitHubVerificationPublisher(GitHubConnection connection, GitHubWrites writes)
{
    public async Task<string> PublishAsync(string repository, string headSha, VerificationReport report, CancellationToken cancellationToken)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        var root = $"repos/{Uri.EscapeDataString(repository[..slash])}/{Uri.EscapeDataString(repository[(slash + 1)..])}";
        if (connection.Credentials.UsesApp)
        {
            var what = $"publish the verification on {repository}@{Short(headSha)} as a check run";
            var run = new JsonObject
            {
                ["name"] = VerificationReports.Name,
                ["head_sha"] = headSha,
                ["status"] = "completed",
                ["conclusion"] = report.State == "success" ? "success" : "failure",
                ["output"] = new JsonObject { ["title"] = report.Description, ["summary"] = report.Summary },
            };
            if (report.DetailsUrl is not null)
            {
                run["details_url"] = report.DetailsUrl;
            }

            try
            {
                await writes.SendAsync(HttpMethod.Post, $"{root}/check-runs", run, what, cancellationToken);
            }
            catch (GitHubResponseException e)
            {
                throw GitHubWrites.Refused(what, e);
            }

            return "check run";
        }

        var status = new JsonObject
        {
            ["state"] = report.State,
            ["description"] = report.Description,
            ["context"] = VerificationReports.Name,
        };
        if (report.DetailsUrl is not null)
        {
            status["target_url"] = report.DetailsUrl;
        }

        var asStatus = $"publish the verification on {repository}@{Short(headSha)} as a commit status";
        try
        {
            await writes.SendAsync(HttpMethod.Post, $"{root}/statuses/{headSha}", status, asStatus, cancellationToken);
        }
        catch (GitHubResponseException e)
        {
            throw GitHubWrites.Refused(asStatus, e);
        }

        return "commit status";
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
