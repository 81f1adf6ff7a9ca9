using Pulumi;

namespace ItemsApi.Infra.Components;

/// <summary>What the rest of the stack needs from the deployed REST API stage, whichever way it was built.</summary>
public interface IDeployedApi
{
    Output<string> RestApiId { get; }
    /// <summary>From the stage resource, so whatever uses it waits for the stage.</summary>
    Output<string> StageName { get; }
    Output<string> InvokeUrl { get; }
    Output<string> ExecutionArn { get; }
    Output<string>? AccessLogGroupName { get; }
}
