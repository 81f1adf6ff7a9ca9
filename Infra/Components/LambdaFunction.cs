using ItemsApi.Core.Settings;
using Pulumi;
using Pulumi.Aws.CloudWatch;
using Pulumi.Aws.Iam;
using Pulumi.Aws.Lambda;
using Pulumi.Aws.Lambda.Inputs;

namespace ItemsApi.Infra.Components;

/// <summary>
/// A Lambda function on the managed dotnet10 runtime with its own role and log group. The role may
/// write only to that log group, plus whatever <see cref="LambdaFunctionArgs.Policy"/> grants.
/// </summary>
public sealed class LambdaFunction : ComponentResource
{
    /// <summary>The managed runtime identifier (dotnet8 is past end of support).</summary>
    public const string Runtime = "dotnet10";

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
        }, child);

        Role = new Role($"{name}-role", new RoleArgs
        {
            AssumeRolePolicy = IamPolicy.AssumeRole("lambda.amazonaws.com"),
            Description = $"Runs {args.FunctionName}",
        }, child);

        Output<string> policy = args.Policy is null
            ? LogGroup.Arn.Apply(arn => IamPolicy.Document([IamPolicy.WriteLogs(arn)]))
            : args.Policy(LogGroup.Arn);
        var rolePolicy = new RolePolicy($"{name}-policy", new RolePolicyArgs { Role = Role.Id, Policy = policy }, child);

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

        Function = new Function(name, new FunctionArgs
        {
            Name = args.FunctionName,
            Runtime = Runtime,
            Handler = args.Handler,
            Code = args.Code,
            Role = Role.Arn,
            Architectures = { ConfigKeys.LambdaArchitecture.WordFor(settings.LambdaArchitecture) },
            MemorySize = settings.LambdaMemoryMb,
            Timeout = settings.LambdaTimeoutSeconds,
            Environment = new FunctionEnvironmentArgs { Variables = args.Environment },
            LoggingConfig = new FunctionLoggingConfigArgs { LogFormat = "Text", LogGroup = LogGroup.Name },
            TracingConfig = new FunctionTracingConfigArgs { Mode = settings.LambdaTracing ? "Active" : "PassThrough" },
        }, new CustomResourceOptions { Parent = this, DependsOn = dependsOn });

        RegisterOutputs(new Dictionary<string, object?> { ["functionName"] = Function.Name });
    }

    public Function Function { get; }
    public LogGroup LogGroup { get; }
    public Role Role { get; }
}
