using Pulumi;
using Pulumi.Aws.ApiGateway;
using Pulumi.Aws.Iam;

namespace ItemsApi.Infra.Components;

/// <summary>
/// The region's API Gateway account setting: the IAM role API Gateway uses to write execution and
/// access logs to CloudWatch. It is one setting per AWS account and region, shared by every API
/// there, so it is kept when a stack is destroyed (another stack may rely on it).
/// </summary>
public sealed class ApiGatewayAccountSettings : ComponentResource
{
    public ApiGatewayAccountSettings(string name, ComponentResourceOptions? options = null)
        : base("items-api:account:ApiGatewayAccountSettings", name, options)
    {
        var retained = new CustomResourceOptions { Parent = this, RetainOnDelete = true };
        Output<string> partition = Pulumi.Aws.GetPartition.Invoke().Apply(p => p.Partition);

        var role = new Role($"{name}-cloudwatch-role", new RoleArgs
        {
            AssumeRolePolicy = IamPolicy.AssumeRole("apigateway.amazonaws.com"),
            Description = "Lets API Gateway write execution and access logs to CloudWatch Logs",
        }, retained);
        var attachment = new RolePolicyAttachment($"{name}-cloudwatch-logs", new RolePolicyAttachmentArgs
        {
            Role = role.Name,
            PolicyArn = Output.Format($"arn:{partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"),
        }, retained);

        Account = new Account(name, new AccountArgs { CloudwatchRoleArn = role.Arn },
            new CustomResourceOptions { Parent = this, RetainOnDelete = true, DependsOn = { attachment } });
        RegisterOutputs();
    }

    public Account Account { get; }
}
