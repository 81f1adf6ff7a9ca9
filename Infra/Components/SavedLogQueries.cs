using ItemsApi.DeployTime.Operations;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Aws.CloudWatch;

namespace ItemsApi.Infra.Components;

/// <summary>The stage's Logs Insights queries (<see cref="SavedQueries"/>), saved in the folder {project}/{stage}.</summary>
public sealed class SavedLogQueries : ComponentResource
{
    public SavedLogQueries(string name, StageSettings settings, Output<StageNames> names, ComponentResourceOptions? options = null)
        : base("items-api:operations:SavedLogQueries", name, options)
    {
        foreach (SavedQuery query in SavedQueries.For(settings))
            new QueryDefinition($"{name}-{query.Key}", new QueryDefinitionArgs
            {
                Name = query.Name(ConfigKeys.Project, settings.StageName),
                QueryString = query.Query,
                LogGroupNames = { names.Apply(n => query.Log == QueryLog.AccessLog ? n.AccessLogGroup! : n.FunctionLogGroup) },
            }, new CustomResourceOptions { Parent = this });
        RegisterOutputs();
    }
}
