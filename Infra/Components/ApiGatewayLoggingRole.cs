using Pulumi;
using Pulumi.Aws.ApiGateway;
using Pulumi.Aws.Iam;

namespace ItemsApi.Infra.Components;

/// <summary>
/// The region's API Gateway CloudWatch role: one account-wide setting that access and execution logs need
/// (apiGatewayLoggingRole: shared). Every stack declares the same thing: one IAM role with a fixed name, the
/// AWS-managed push-to-CloudWatch policy, and the account setting pointing at it. The first stack in an account
/// creates the role; any later stack finds it (an iam getRoles lookup) and adopts it with an import instead of
/// failing on a duplicate name. Because every stack declares identical values, stacks never undo each other
/// and refresh shows no drift, and everything is kept on destroy, so destroying one stack leaves the others'
/// logs working.
/// </summary>
public sealed class ApiGatewayLoggingRole : ComponentResource
{
    /// <summary>The shared role's name; the same in every stack of this project, in every region.</summary>
    public const string RoleName = "items-api-apigateway-cloudwatch";

    /// <summary>An account setting's role ARN is this project's shared role (in any account or partition).</summary>
    public static bool IsSharedRole(string roleArn) => roleArn.Split(':') is [_, _, "iam", _, _, string resource] && resource == $"role/{RoleName}";

    public const string ManagedPolicy = "service-role/AmazonAPIGatewayPushToCloudWatchLogs";

    /// <param name="roleExists">What <see cref="RoleExistsAsync"/> found: the role is then adopted instead of created.</param>
    public ApiGatewayLoggingRole(string name, bool roleExists, ComponentResourceOptions? options = null)
        : base("items-api:logging:ApiGatewayLoggingRole", name, options)
    {
        Output<string> partition = Pulumi.Aws.GetPartition.Invoke().Apply(p => p.Partition);
        var role = new Role(name, RoleArgs(), SharedOptions(this, importId: roleExists ? RoleName : null));
        Role = role;
        var attachment = new RolePolicyAttachment($"{name}-push-logs", new RolePolicyAttachmentArgs
        {
            Role = role.Name,
            PolicyArn = Output.Format($"arn:{partition}:iam::aws:policy/{ManagedPolicy}"),
        }, SharedOptions(this, importId: null));

        Account = new Account(name, new AccountArgs { CloudwatchRoleArn = role.Arn },
            SharedOptions(this, importId: null, dependsOn: attachment));
        RegisterOutputs();
    }

    public Role Role { get; }
    public Account Account { get; }

    /// <summary>Asks IAM whether the shared role exists yet (at preview too): an invoke, so tests answer it with mocks.</summary>
    public static async Task<bool> RoleExistsAsync()
    {
        GetRolesResult roles = await GetRoles.InvokeAsync(new GetRolesArgs { NameRegex = $"^{RoleName}$" });
        return roles.Names.Contains(RoleName);
    }

    internal static RoleArgs RoleArgs() => new()
    {
        Name = RoleName,
        AssumeRolePolicy = IamPolicy.AssumeRole("apigateway.amazonaws.com"),
        Description = "Lets API Gateway write execution and access logs to CloudWatch Logs (shared by every items-api stack)",
    };

    /// <summary>Kept on destroy (other stacks rely on it); adopted with an import when it already exists.</summary>
    internal static CustomResourceOptions SharedOptions(Pulumi.Resource? parent, string? importId, Pulumi.Resource? dependsOn = null)
    {
        var options = new CustomResourceOptions { Parent = parent, RetainOnDelete = true, ImportId = importId };
        if (dependsOn is not null) options.DependsOn = dependsOn;
        return options;
    }
}
