using Pulumi;

namespace ItemsApi.Infra.Components;

/// <summary>What the rest of the stack needs from the deployed REST API stage, whichever way it was built.</summary>
public interface IDeployedApi
{
    Output<string> RestApiId { get; }
    /// <summary>API Gateway's metrics name the API by this, not by its id.</summary>
    Output<string> RestApiName { get; }
    /// <summary>What a WAF web ACL is associated with.</summary>
    Output<string> StageArn { get; }
    /// <summary>From the stage resource, so whatever uses it waits for the stage.</summary>
    Output<string> StageName { get; }
    Output<string> InvokeUrl { get; }
    Output<string> ExecutionArn { get; }
    Output<string>? AccessLogGroupName { get; }
}
