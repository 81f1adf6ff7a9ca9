namespace ItemsApi.Verify;

/// <summary>What the CLI takes from its surroundings, replaceable in tests: the HTTP stack, pacing and where pulumi is.</summary>
public sealed record VerifyEnvironment
{
    /// <summary>Sends the requests; null: a new <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Pacing, retries and waits; --key-wait overrides <see cref="ContractOptions.KeyWait"/>.</summary>
    public ContractOptions Options { get; init; } = new();

    /// <summary>The PATH searched for <c>pulumi</c>; null: this process's PATH.</summary>
    public string? SearchPath { get; init; }

    /// <summary>How long one request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
