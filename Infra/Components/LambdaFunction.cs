using System.Collections.Immutable;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.VersionRetention;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Aws.CloudWatch;
using Pulumi.Aws.Iam;
using Pulumi.Aws.Lambda;
using Pulumi.Aws.Lambda.Inputs;

namespace ItemsApi.Infra.Components;

/// <summary>
/// A Lambda function with its own role and log group, on the runtime the stage's functionBuild needs
/// (provided.al2023 for Native AOT, dotnet10 for ReadyToRun). The role may write only to that log group, plus
/// whatever <see cref="LambdaFunctionArgs.Policy"/> grants.
/// </summary>
public sealed class LambdaFunction : ComponentResource
{
    public LambdaFunction(string name, LambdaFunctionArgs args, ComponentResourceOptions? options = null)
        : base("items-api:compute:LambdaFunction", name, options)
    {
        StageSettings settings = args.Settings;
        var child = new CustomResourceOptions { Parent = this };

        // Created before the function, so Lambda never creates it itself with infinite retention.
        LogGroup = new LogGroup($"{name}-logs", new LogGroupArgs
        {
            Name = $"/aws/lambda/{args.FunctionName}",
            RetentionInDays = settings.LogRetentionDays,
            Tags = StageTags.For(settings),
        }, child);

        // Named as its function (both start with the stage's name prefix, which the deploy policy allows), and carrying
        // the stage's permissions boundary when one is set: the deploy policy refuses a role without it.
        var roleArgs = new RoleArgs
        {
            Name = args.FunctionName,
            AssumeRolePolicy = IamPolicy.AssumeRole("lambda.amazonaws.com"),
            Description = $"Runs {args.FunctionName}",
            Tags = StageTags.For(settings),
        };
        if (settings.RolePermissionsBoundary is { } boundary) roleArgs.PermissionsBoundary = IamPolicy.PolicyArn(boundary);
        Role = new Role($"{name}-role", roleArgs, child);

        Output<string> policy = args.Policy is null
            ? LogGroup.Arn.Apply(arn => IamPolicy.Document([IamPolicy.WriteLogs(arn)]))
            : args.Policy(LogGroup.Arn);
        var rolePolicy = new RolePolicy($"{name}-policy", new RolePolicyArgs { Name = args.FunctionName, Role = Role.Id, Policy = policy }, child);

        var dependsOn = new List<Resource> { LogGroup, rolePolicy };
        if (settings.LambdaTracing)
        {
            // X-Ray's write actions cannot be scoped to a resource; AWS's managed policy is the narrow, standard grant.
            Output<string> partition = Pulumi.Aws.GetPartition.Invoke().Apply(p => p.Partition);
            dependsOn.Add(new RolePolicyAttachment($"{name}-xray", new RolePolicyAttachmentArgs
            {
                Role = Role.Name,
                PolicyArn = Output.Format($"arn:{partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"),
            }, child));
        }

        bool alias = args.ServeThroughAlias && settings.UsesFunctionAlias;
        var functionArgs = new FunctionArgs
        {
            Name = args.FunctionName,
            Runtime = FunctionHandlers.RuntimeFor(settings.FunctionBuild),
            Handler = args.Handler,
            Code = args.Code,
            Role = Role.Arn,
            Architectures = { ConfigKeys.LambdaArchitecture.WordFor(settings.LambdaArchitecture) },
            MemorySize = args.MemoryMb ?? settings.LambdaMemoryMb,
            Timeout = settings.LambdaTimeoutSeconds,
            Environment = new FunctionEnvironmentArgs { Variables = args.Environment },
            // JSON: the runtime writes each log call as one JSON object, with the message template's values as
            // top-level fields that Logs Insights reads. INFO system logs keep the REPORT line (duration, memory).
            LoggingConfig = new FunctionLoggingConfigArgs
            {
                LogFormat = LogFormat, ApplicationLogLevel = "INFO", SystemLogLevel = "INFO", LogGroup = LogGroup.Name,
            },
            TracingConfig = new FunctionTracingConfigArgs { Mode = settings.LambdaTracing ? "Active" : "PassThrough" },
            // A version is what SnapStart snapshots and provisioned concurrency keeps warm; each code change publishes one.
            Publish = alias,
            Tags = StageTags.For(settings),
        };
        if (args.ReservedConcurrency > 0)
            functionArgs.ReservedConcurrentExecutions = args.ReservedConcurrency;
        if (alias && settings.SnapStart)
            functionArgs.SnapStart = new FunctionSnapStartArgs { ApplyOn = "PublishedVersions" };
        Function = new Function(name, functionArgs, new CustomResourceOptions { Parent = this, DependsOn = dependsOn });

        // What callers invoke: the alias (moved to each new version by `pulumi up`), or the function itself.
        InvokeArn = Function.InvokeArn;
        if (alias)
        {
            var live = new Pulumi.Aws.Lambda.Alias($"{name}-live", new Pulumi.Aws.Lambda.AliasArgs
            {
                Name = AliasName,
                FunctionName = Function.Name,
                FunctionVersion = Function.Version,
                Description = "What API Gateway calls: the latest published version",
            }, child);
            InvokeArn = live.InvokeArn;
            Qualifier = live.Name;
            if (settings.ProvisionedConcurrency > 0)
                new ProvisionedConcurrencyConfig($"{name}-provisioned", new ProvisionedConcurrencyConfigArgs
                {
                    FunctionName = Function.Name,
                    Qualifier = live.Name,
                    ProvisionedConcurrentExecutions = settings.ProvisionedConcurrency,
                }, child);
            if (args.Aws is { } aws && !Deployment.Instance.IsDryRun)
                DeletedVersions = Output.Tuple(Pulumi.Aws.GetRegion.Invoke().Apply(r => r.Region), Function.Arn, live.FunctionVersion)
                    .Apply(t => DeleteOldVersionsAsync(aws, t.Item1, t.Item2, t.Item3, settings.PublishedVersionsToKeep));
        }
        else if (args.ServeThroughAlias && args.Aws is { } aws && !Deployment.Instance.IsDryRun)
        {
            // No alias (snapStart and provisionedConcurrency off): versions published while there was one serve nothing now.
            DeletedVersions = Output.Tuple(Pulumi.Aws.GetRegion.Invoke().Apply(r => r.Region), Function.Arn)
                .Apply(t => DeleteUnservedVersionsAsync(aws, t.Item1, t.Item2));
        }

        RegisterOutputs(new Dictionary<string, object?> { ["functionName"] = Function.Name });
    }

    /// <summary>
    /// Runs once the alias serves <paramref name="liveVersion"/>, during `pulumi up` only. Every failure here, the
    /// credentials included, leaves the stage working, so it is a warning that says what to delete by hand, not a
    /// failed update.
    /// </summary>
    private static Task<ImmutableArray<string>> DeleteOldVersionsAsync(Func<string, AwsApis> aws, string region, string functionArn, string liveVersion, int keep) =>
        PruneAsync(aws, region, functionArn,
            async versions =>
            {
                IReadOnlyList<string> deleted = await PublishedVersionRetention.PruneAsync(versions, functionArn, liveVersion, keep);
                if (deleted.Count > 0)
                    Log.Info($"deleted {deleted.Count} old published version(s) of {FunctionNameOf(functionArn)}: {string.Join(", ", deleted)} (publishedVersionsToKeep: {keep}; the alias '{AliasName}' serves {liveVersion})");
                return deleted;
            },
            $"delete versions other than {liveVersion} and the newest {keep}");

    /// <summary>
    /// The function is no longer served through the alias: every published version no alias uses is deleted, and the
    /// versions the alias still holds (it is deleted at the end of this `up`) are named in a warning.
    /// </summary>
    private static Task<ImmutableArray<string>> DeleteUnservedVersionsAsync(Func<string, AwsApis> aws, string region, string functionArn) =>
        PruneAsync(aws, region, functionArn,
            async versions =>
            {
                (IReadOnlyList<string> deleted, IReadOnlyList<string> stillAliased) = await PublishedVersionRetention.PruneWithoutAliasAsync(versions, functionArn);
                string name = FunctionNameOf(functionArn);
                if (deleted.Count > 0)
                    Log.Info($"deleted {deleted.Count} published version(s) of {name} that nothing serves since snapStart and provisionedConcurrency are off: {string.Join(", ", deleted)}");
                if (stillAliased.Count > 0)
                    Log.Warn($"published version(s) {string.Join(", ", stillAliased)} of {name} are still held by an alias this update removes; the next `pulumi up` deletes them, or delete them now with " +
                        string.Join("; ", stillAliased.Select(v => $"`aws lambda delete-function --function-name {name} --qualifier {v}`")));
                return deleted;
            },
            "delete every published version (numbers, not $LATEST)");

    /// <summary>
    /// Connects as the provider's identity, checks that it acts in the function's account, then runs <paramref name="prune"/>.
    /// Any failure, connecting included, is a warning: the stage is unaffected and the update succeeds.
    /// </summary>
    private static async Task<ImmutableArray<string>> PruneAsync(Func<string, AwsApis> aws, string region, string functionArn,
        Func<IFunctionVersions, Task<IReadOnlyList<string>>> prune, string byHand)
    {
        string name = FunctionNameOf(functionArn);
        try
        {
            AwsApis apis = aws(region);
            string caller = await apis.Account.CallerAccountIdAsync();
            string owner = functionArn.Split(':')[4];
            if (caller != owner)
            {
                Log.Warn($"old published versions of {name} were not deleted: the AWS provider's credentials, as this program resolves them, act in account {caller}, but the function is in account {owner}. " +
                    $"Check aws:profile, aws:assumeRoles and the AWS_* environment; {byHand} with `aws lambda delete-function --function-name {functionArn} --qualifier <version>`.");
                return [];
            }
            return [.. await prune(apis.Versions)];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Warn($"old published versions of {name} were not deleted: {e.Message}. The stage is unaffected; {byHand} with `aws lambda delete-function --function-name {name} --qualifier <version>`, or run `pulumi up` again.");
            return [];
        }
    }

    private static string FunctionNameOf(string functionArn) => functionArn.Split(':')[6];

    /// <summary>Lambda's log format for both functions (see <see cref="ItemsApi.DeployTime.Operations.FunctionLogFields"/>).</summary>
    public const string LogFormat = "JSON";

    /// <summary>The alias API Gateway calls when the function is served through a published version.</summary>
    public const string AliasName = "live";

    public Function Function { get; }

    /// <summary>The published versions this `pulumi up` deleted; null in a preview, without AWS access, or for a function never served through an alias.</summary>
    public Output<ImmutableArray<string>>? DeletedVersions { get; }

    /// <summary>The ARN API Gateway integrations invoke: the alias's, or the function's.</summary>
    public Output<string> InvokeArn { get; }

    /// <summary>The alias name for permissions, or null when callers invoke the function itself.</summary>
    public Output<string>? Qualifier { get; }
    public LogGroup LogGroup { get; }
    public Role Role { get; }
}
