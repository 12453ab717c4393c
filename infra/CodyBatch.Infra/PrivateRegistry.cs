namespace CodyBatch.Infra;

/// <summary>
/// A private package registry the workers' egress proxy forwards to, adding the credential on the host side
/// (context <c>codybatch:privateRegistries</c>). Only the name of the SSM SecureString parameter holding the token is here.
/// </summary>
public sealed record PrivateRegistry(string Name, string Url, string Ecosystem, string TokenParameter);
