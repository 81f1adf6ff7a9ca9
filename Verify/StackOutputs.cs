using System.Diagnostics;
using System.Text.Json;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Verify;

/// <summary>
/// The stack outputs verify uses, from <c>pulumi stack output --json --show-secrets</c>. Every one is optional here:
/// older stacks have no <c>authMode</c> or <c>corsAllowedOrigins</c>, and --url/--api-key can stand in for the rest.
/// </summary>
public sealed record StackOutputs(string? Url, string? ApiKey, string? AuthMode, IReadOnlyList<string>? CorsAllowedOrigins)
{
    private const string Hint = "pass --url and --api-key (and --token in apiKey+authorizer mode) instead";

    /// <summary>How long pulumi may take (it may reach a remote backend).</summary>
    private static readonly TimeSpan PulumiTimeout = TimeSpan.FromMinutes(2);

    /// <param name="stack">Passed to pulumi as --stack; null: the selected stack.</param>
    /// <param name="searchPath">Where to look for the pulumi executable; null: this process's PATH.</param>
    /// <exception cref="VerifyConfigException">pulumi is missing, fails, or prints something else than a JSON object.</exception>
    public static async Task<StackOutputs> ReadAsync(string? stack, string? searchPath = null, CancellationToken cancellationToken = default)
    {
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        string pulumi = FindExecutable("pulumi", searchPath)
            ?? throw new VerifyConfigException($"pulumi was not found on PATH, so the stack's url and apiKey cannot be read: {Hint}.");

        var start = new ProcessStartInfo(pulumi)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["PATH"] = searchPath },
        };
        foreach (string argument in new[] { "stack", "output", "--json", "--show-secrets" }) start.ArgumentList.Add(argument);
        if (stack is not null)
        {
            start.ArgumentList.Add("--stack");
            start.ArgumentList.Add(stack);
        }

        using Process process = Process.Start(start) ?? throw new VerifyConfigException($"pulumi could not be started: {Hint}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PulumiTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested) throw;
            throw new VerifyConfigException($"pulumi stack output did not finish within {PulumiTimeout.TotalMinutes:0} minutes: {Hint}.");
        }
        // Standard output holds the secrets: it is parsed, never shown.
        string stdout = await output, stderr = (await error).Trim();
        if (process.ExitCode != 0)
            throw new VerifyConfigException($"pulumi stack output failed (exit {process.ExitCode}){(stderr.Length > 0 ? ": " + stderr : "")}\n" +
                $"Select a stack (--stack <name>) or {Hint}.");
        return Parse(stdout);
    }

    /// <summary>Reads the outputs from pulumi's JSON; outputs verify does not use are ignored.</summary>
    public static StackOutputs Parse(string json)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new VerifyConfigException($"pulumi stack output did not print JSON: {Hint}.");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new VerifyConfigException($"pulumi stack output did not print a JSON object: {Hint}.");
        return new StackOutputs(Text(root, StackOutputNames.Url), Text(root, StackOutputNames.ApiKey), Text(root, StackOutputNames.AuthMode), Origins(root));
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A JSON array of strings; a string holding one is accepted too (how Pulumi config passes lists).</summary>
    private static IReadOnlyList<string>? Origins(JsonElement root)
    {
        if (!root.TryGetProperty(StackOutputNames.CorsAllowedOrigins, out JsonElement value)) return null;
        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                using JsonDocument inner = JsonDocument.Parse(value.GetString()!);
                value = inner.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new VerifyConfigException($"The stack output {StackOutputNames.CorsAllowedOrigins} is not a JSON array of strings.");
            }
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(o => o.ValueKind != JsonValueKind.String))
            throw new VerifyConfigException($"The stack output {StackOutputNames.CorsAllowedOrigins} is not a JSON array of strings.");
        return value.EnumerateArray().Select(o => o.GetString()!).ToArray();
    }

    /// <summary>The first executable file called <paramref name="name"/> in the PATH-style <paramref name="searchPath"/>.</summary>
    internal static string? FindExecutable(string name, string searchPath)
    {
        string[] names = OperatingSystem.IsWindows() ? [name + ".exe", name + ".cmd", name] : [name];
        foreach (string directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (string candidate in names.Select(n => Path.Combine(directory, n)))
                if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                    return candidate;
        return null;
    }
}
