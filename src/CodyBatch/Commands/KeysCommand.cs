using CodyBatch.Access;
using CodyBatch.Core.Access;

namespace CodyBatch.Commands;

/// <summary><c>codybatch keys add|list|revoke</c>: named API keys with roles, in the configured store.</summary>
internal static class KeysCommand
{
    /// <summary>Who the audit log names for what the CLI does (whoever can run it can open the store).</summary>
    private static readonly Caller Cli = new("cli", Role.Admin);

    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var command = new Command("keys", "Named API keys with roles (viewer, operator, admin); the key's text is shown once.");
        var data = StoreCommand.DataOption();
        var json = StoreCommand.JsonOption();

        var list = new Command("list", "List keys: name, role, state, last use; never their text.") { data, json };
        list.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, _) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var keys = (await services.GetRequiredService<ApiKeyService>().ListAsync(ct)).Select(k => ApiKeyResponse.From(k, now)).ToList();
            if (parse.GetValue(json))
            {
                await StoreCommand.WriteJsonAsync(output, keys);
                return 0;
            }

            foreach (var k in keys)
            {
                var state = k.RevokedAt is { } revoked ? $"revoked {revoked:u}" : k.ExpiresAt is { } expires ? (k.Active ? $"expires {expires:u}" : $"expired {expires:u}") : "active";
                await output.WriteLineAsync($"{k.Id}  {k.Name}  {k.Role}  {k.Prefix}…  {state}  last used {(k.LastUsedAt is { } used ? used.ToString("u", CultureInfo.InvariantCulture) : "never")}");
            }

            return 0;
        }));

        var name = new Option<string>("--name") { Description = "Who holds the key (unique).", Required = true };
        var role = new Option<string>("--role") { Description = "viewer, operator or admin.", Required = true };
        var expires = new Option<string?>("--expires") { Description = "When it stops working: a date/time (UTC unless it says otherwise) or a number of days such as 90d." };
        var cap = new Option<decimal?>("--monthly-cap") { Description = "Most US dollars the key's jobs may cost per calendar month." };
        var add = new Command("add", "Create a key; prints its text once (store it now: only its hash is kept).") { name, role, expires, cap, data, json };
        add.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (!TryParseExpiry(parse.GetValue(expires), now, out var expiresAt))
            {
                await error.WriteLineAsync("codybatch: --expires must be a date/time such as 2027-06-30 or 2027-06-30T12:00Z, or days such as 90d.");
                return RunCommand.BadInput;
            }

            var created = await services.GetRequiredService<ApiKeyService>().CreateAsync(new NewApiKey(parse.GetValue(name), parse.GetValue(role), expiresAt, parse.GetValue(cap)), Cli, ct);
            if (created is not { Key: { } key, Secret: { } secret })
            {
                return await StoreCommand.ErrorsAsync(error, created.Errors);
            }

            await services.GetRequiredService<AuditTrail>().RecordAsync(Cli, "CreateApiKey", $"key {key.Id}", "succeeded", ct, detail: $"{key.Name} ({AccessMiddleware.Name(key.Role)})");
            if (parse.GetValue(json))
            {
                await StoreCommand.WriteJsonAsync(output, new CreatedApiKeyResponse(ApiKeyResponse.From(key, now), secret));
            }
            else
            {
                await output.WriteLineAsync(secret);
                await error.WriteLineAsync($"codybatch: created {key.Id} ({key.Name}, {AccessMiddleware.Name(key.Role)}); the line above is the key, shown this once.");
            }

            return 0;
        }));

        var id = new Argument<string>("id") { Description = "The key's id (key-…)." };
        var revoke = new Command("revoke", "Revoke a key: it opens nothing from now on.") { id, data };
        revoke.SetAction((parse, ct) => StoreCommand.RunAsync(parse, data, configureServices, async (services, output, error) =>
        {
            var key = await services.GetRequiredService<ApiKeyService>().RevokeAsync(parse.GetValue(id)!, ct);
            if (key is null)
            {
                await error.WriteLineAsync($"codybatch: there is no key {parse.GetValue(id)}; list them with 'codybatch keys list'.");
                return RunCommand.BadInput;
            }

            await services.GetRequiredService<AuditTrail>().RecordAsync(Cli, "RevokeApiKey", $"key {key.Id}", "succeeded", ct, detail: key.Name);
            await output.WriteLineAsync($"Revoked {key.Id} ({key.Name}) at {key.RevokedAt:u}.");
            return 0;
        }));

        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        command.Subcommands.Add(revoke);
        return command;
    }

    private static bool TryParseExpiry(string? text, DateTimeOffset now, out DateTimeOffset? expiresAt)
    {
        expiresAt = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        text = text.Trim();
        if (text.EndsWith('d') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 36_500)
        {
            expiresAt = now.AddDays(days);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            expiresAt = at;
            return true;
        }

        return false;
    }
}
