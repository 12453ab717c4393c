using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SSM;
using Constructs;
using BatchSecret = Amazon.CDK.AWS.Batch.Secret;

namespace CodyBatch.Infra;

/// <summary>
/// Hands each optional setting to the parts that read it, and to no other: the notification settings to the API (it
/// ends a job it cancels while every run is queued), the workers and the sweep (both end jobs); the registries
/// allow-list and the private registries' tokens to the workers alone. Plain values go into the environment; secrets
/// only as SSM parameter references (Batch <c>secrets</c>, resolved at container start by the execution role, or the
/// names the API reads at start with its own role).
/// </summary>
internal sealed class SettingsWiring(Construct scope, StackSettings settings)
{
    private readonly Dictionary<string, IStringParameter> _parameters = [];

    /// <summary>Notification settings for a Batch job.</summary>
    public void AddNotifications(IDictionary<string, string> environment, IDictionary<string, BatchSecret> secrets)
    {
        if (settings.NotificationWebhookUrl is { } url)
        {
            environment["CodyBatch__Notifications__WebhookUrl"] = url;
            secrets["CodyBatch__Notifications__SigningSecret"] = BatchSecret.FromSsmParameter(Parameter(settings.NotificationSigningSecretParameter!));
        }

        if (settings.NotificationSlackParameter is { } slack)
        {
            secrets["CodyBatch__Notifications__SlackWebhookUrl"] = BatchSecret.FromSsmParameter(Parameter(slack));
        }
    }

    /// <summary>Notification settings for the API function, whose secrets are read at start from the listed parameters.</summary>
    public void AddNotifications(IDictionary<string, string> environment, IList<(string Key, string Parameter)> secrets)
    {
        if (settings.NotificationWebhookUrl is { } url)
        {
            environment["CodyBatch__Notifications__WebhookUrl"] = url;
            secrets.Add(("CodyBatch:Notifications:SigningSecret", settings.NotificationSigningSecretParameter!));
        }

        if (settings.NotificationSlackParameter is { } slack)
        {
            secrets.Add(("CodyBatch:Notifications:SlackWebhookUrl", slack));
        }
    }

    /// <summary>Lets <paramref name="reader"/> decrypt the notification secrets.</summary>
    public void GrantNotificationSecrets(IGrantable reader)
    {
        foreach (var name in new[] { settings.NotificationWebhookUrl is null ? null : settings.NotificationSigningSecretParameter, settings.NotificationSlackParameter }.OfType<string>())
        {
            Parameter(name).GrantRead(reader);
        }
    }

    /// <summary>
    /// Where traces and metrics go, for a Batch job (the workers, the sweep): CloudWatch's OTLP endpoints in the stack's
    /// Region with their headers as secrets, or the collector's address; nothing when telemetry is off.
    /// </summary>
    public void AddTelemetry(IDictionary<string, string> environment, IDictionary<string, BatchSecret> secrets)
    {
        foreach (var (name, parameter) in TelemetryTargets(environment))
        {
            secrets[name] = BatchSecret.FromSsmParameter(Parameter(parameter));
        }
    }

    /// <summary>Where traces and metrics go, for the API function, whose headers are read at start from the listed parameters.</summary>
    public void AddTelemetry(IDictionary<string, string> environment, IList<(string Key, string Parameter)> secrets)
    {
        foreach (var (name, parameter) in TelemetryTargets(environment))
        {
            secrets.Add((name, parameter));
        }
    }

    /// <summary>Lets <paramref name="reader"/> decrypt the telemetry headers.</summary>
    public void GrantTelemetrySecrets(IGrantable reader)
    {
        if (settings.TelemetryToCloudWatch)
        {
            Parameter(settings.TelemetryTracesHeadersParameter).GrantRead(reader);
            Parameter(settings.TelemetryMetricsHeadersParameter).GrantRead(reader);
        }
    }

    // The endpoints go into the environment; returns the header variables and the parameters that hold them.
    private IEnumerable<(string Name, string Parameter)> TelemetryTargets(IDictionary<string, string> environment)
    {
        if (settings.TelemetryCollector is { } collector)
        {
            environment["CodyBatch__Telemetry__OtlpEndpoint"] = collector;
        }

        if (!settings.TelemetryToCloudWatch)
        {
            return [];
        }

        // CloudWatch's OTLP endpoints (traces need Transaction Search turned on in X-Ray); one per signal, each its own host.
        var region = Amazon.CDK.Stack.Of(scope).Region;
        environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = $"https://xray.{region}.amazonaws.com/v1/traces";
        environment["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = $"https://monitoring.{region}.amazonaws.com/v1/metrics";
        return [("OTEL_EXPORTER_OTLP_TRACES_HEADERS", settings.TelemetryTracesHeadersParameter), ("OTEL_EXPORTER_OTLP_METRICS_HEADERS", settings.TelemetryMetricsHeadersParameter)];
    }

    /// <summary>The registries allow-list and the private registries (workers only).</summary>
    public void AddRegistries(IDictionary<string, string> environment, IDictionary<string, BatchSecret> secrets)
    {
        for (var i = 0; i < (settings.Registries?.Count ?? 0); i++)
        {
            environment[$"CodyBatch__Egress__AllowedDomains__{i}"] = settings.Registries![i];
        }

        for (var i = 0; i < settings.PrivateRegistries.Count; i++)
        {
            var registry = settings.PrivateRegistries[i];
            var prefix = $"CodyBatch__Egress__PrivateRegistries__{i}__";
            environment[prefix + "Name"] = registry.Name;
            environment[prefix + "Url"] = registry.Url;
            environment[prefix + "Ecosystem"] = registry.Ecosystem;
            secrets[prefix + "Token"] = BatchSecret.FromSsmParameter(Parameter(registry.TokenParameter));
        }
    }

    private IStringParameter Parameter(string name)
    {
        if (!_parameters.TryGetValue(name, out var parameter))
        {
            parameter = StringParameter.FromSecureStringParameterAttributes(scope, $"Setting{_parameters.Count}", new SecureStringParameterAttributes { ParameterName = name });
            _parameters[name] = parameter;
        }

        return parameter;
    }
}
