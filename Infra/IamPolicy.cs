using System.Text.Json;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>IAM policy documents as JSON, written from typed statements.</summary>
public static class IamPolicy
{
    public sealed record Statement(IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, string Effect = "Allow");

    public static string AssumeRole(string service) => JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = new[] { new { Effect = "Allow", Principal = new { Service = service }, Action = "sts:AssumeRole" } },
    });

    public static string Document(IEnumerable<Statement> statements) => JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = statements.Select(s => new { s.Effect, Action = s.Actions, Resource = s.Resources }),
    });

    /// <summary>Writing to one log group only: its streams, never logs:* or another group.</summary>
    public static Statement WriteLogs(string logGroupArn) =>
        new(["logs:CreateLogStream", "logs:PutLogEvents"], [$"{logGroupArn}:*"]);

    /// <summary>A managed policy's ARN: the ARN as given, or a name in the deploying account.</summary>
    public static Output<string> PolicyArn(string nameOrArn) =>
        nameOrArn.StartsWith("arn:", StringComparison.Ordinal)
            ? Output.Create(nameOrArn)
            : Output.Tuple(Pulumi.Aws.GetPartition.Invoke().Apply(p => p.Partition), Pulumi.Aws.GetCallerIdentity.Invoke().Apply(c => c.AccountId))
                .Apply(t => $"arn:{t.Item1}:iam::{t.Item2}:policy/{nameOrArn}");

    /// <summary>A policy document whose resources are not known until deployment.</summary>
    public static Output<string> Document(params Output<Statement>[] statements) =>
        Output.All(statements).Apply(all => Document(all.AsEnumerable()));
}
