using System.Text.Json.Nodes;

namespace ItemsApi.Policies.Tests;

/// <summary>
/// One IAM request to evaluate: who (their identity policies and permissions boundary, or a trust policy as the
/// resource policy), which action on which resource, with which request context.
/// </summary>
public sealed record Request(string Principal, string Action, string Resource, IReadOnlyList<JsonObject> IdentityPolicies)
{
    public IReadOnlyList<JsonObject> PermissionBoundaries { get; init; } = [];
    public JsonObject? ResourcePolicy { get; init; }
    public JsonObject Context { get; init; } = [];

    /// <summary>Keys AWS documents but the evaluator's data does not list for the action (see tools/iam-simulate/evaluate.mjs).</summary>
    public IReadOnlyList<string> UnlistedContextKeys { get; init; } = [];

    public override string ToString() => $"{Principal} {Action} on {Resource} {Context.ToJsonString()}";
}

public sealed record Decision(Request Request, string? Result, bool EvaluatedWithoutValidation, string? UnvalidatedBecause,
    IReadOnlyList<string> IgnoredContextKeys, string? Error)
{
    public const string Allowed = "Allowed";
    public const string ExplicitlyDenied = "ExplicitlyDenied";
    public const string ImplicitlyDenied = "ImplicitlyDenied";

    public bool IsAllowed => Result == Allowed;

    public override string ToString() => Error is null ? $"{Result}: {Request}" : $"ERROR {Error}: {Request}";
}

/// <summary>
/// Runs tools/iam-simulate/evaluate.mjs (node and @cloud-copilot/iam-simulate, pinned in its package-lock.json) on a
/// batch of requests: one node process per call, ended before the call returns.
/// </summary>
public static class Evaluator
{
    public static readonly string Directory = Path.Combine(IamFiles.Root, "tools", "iam-simulate");
    public static readonly string Script = Path.Combine(Directory, "evaluate.mjs");

    // Before Missing, which reads it (static fields initialise in order).
    private static readonly string? Node = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "node.exe" : "node"))
        .FirstOrDefault(File.Exists);

    /// <summary>Why the evaluator cannot run here, or null when it can.</summary>
    public static readonly string? Missing = FindMissing();

    private static string? FindMissing()
    {
        if (Node is null) return "node is not on PATH, so the IAM policy evaluator cannot run (CI's .ci/run has it)";
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@cloud-copilot", "iam-simulate")))
            return "the IAM policy evaluator is not installed: run npm ci --prefix tools/iam-simulate (CI's .ci/run does)";
        return null;
    }

    public static Decision Evaluate(Request request) => Evaluate([request])[0];

    public static IReadOnlyList<Decision> Evaluate(IReadOnlyList<Request> requests)
    {
        if (Missing is not null) throw new InvalidOperationException(Missing);
        var input = new JsonObject
        {
            ["requests"] = new JsonArray(requests.Select((r, i) => (JsonNode)new JsonObject
            {
                ["id"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["principal"] = r.Principal,
                ["action"] = r.Action,
                ["resource"] = r.Resource,
                ["resourceAccount"] = IamFiles.Account,
                ["identityPolicies"] = new JsonArray(r.IdentityPolicies.Select((p, n) => (JsonNode)new JsonObject { ["name"] = $"identity-{n}", ["policy"] = p.DeepClone() }).ToArray()),
                ["permissionBoundaries"] = new JsonArray(r.PermissionBoundaries.Select((p, n) => (JsonNode)new JsonObject { ["name"] = $"boundary-{n}", ["policy"] = p.DeepClone() }).ToArray()),
                ["resourcePolicy"] = r.ResourcePolicy?.DeepClone(),
                ["context"] = r.Context.DeepClone(),
                ["unlistedContextKeys"] = new JsonArray(r.UnlistedContextKeys.Select(k => (JsonNode)k).ToArray()),
            }).ToArray()),
        };

        ProcessOutcome run = ProcessRun.RunAsync(Node!, [Script], input: input.ToJsonString(), timeout: TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
        if (run.ExitCode != 0) throw new InvalidOperationException($"the IAM policy evaluator failed (exit {run.ExitCode}): {run.Errors}");

        JsonArray results = JsonNode.Parse(run.Output)!["results"]!.AsArray();
        return results.Select(result => new Decision(
            requests[int.Parse(result!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)],
            result["decision"]?.GetValue<string>(),
            result["evaluatedWithoutValidation"]!.GetValue<bool>(),
            result["unvalidatedBecause"]?.GetValue<string>(),
            result["ignoredContextKeys"]!.AsArray().Select(k => k!.GetValue<string>()).ToArray(),
            result["error"]?.GetValue<string>())).ToArray();
    }

    /// <summary>Asserts every request got the expected result, listing all that did not (and any evaluator error).</summary>
    public static void AssertAll(IReadOnlyList<Request> requests, Func<Decision, bool> expected, string what)
    {
        Assert.NotEmpty(requests);
        IReadOnlyList<Decision> decisions = Evaluate(requests);
        string[] wrong = decisions.Where(d => d.Error is not null || !expected(d)).Select(d => d.ToString()).ToArray();
        Assert.True(wrong.Length == 0, $"{what}: {wrong.Length} of {decisions.Count} not as expected:\n{string.Join('\n', wrong)}");
    }

    public static void AssertAllDenied(IReadOnlyList<Request> requests, string what) =>
        AssertAll(requests, d => d.Result is Decision.ExplicitlyDenied or Decision.ImplicitlyDenied, what);

    public static void AssertAllExplicitlyDenied(IReadOnlyList<Request> requests, string what) =>
        AssertAll(requests, d => d.Result == Decision.ExplicitlyDenied, what);

    public static void AssertAllAllowed(IReadOnlyList<Request> requests, string what) => AssertAll(requests, d => d.IsAllowed, what);
}

/// <summary>Node and the IAM policy evaluator, for the tests that evaluate a policy.</summary>
public sealed class EvaluatorInstalled : IRequirement
{
    public string? Missing => Evaluator.Missing;
}
