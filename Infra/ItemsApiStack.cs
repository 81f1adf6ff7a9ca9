using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Runtime;
using ItemsApi.Core.Settings;
using ItemsApi.Infra.Components;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>
/// One stage of the items API: table → function → REST API → API key + usage plan, with logs.
/// Config is read and validated first; nothing is declared if any key is invalid.
/// </summary>
public static class ItemsApiStack
{
    /// <param name="functionCode">The published Functions/ project (<see cref="FunctionPackage.Publish"/>).</param>
    /// <param name="routes">The routes to expose; always the route table, except in tests that prove a route change redeploys.</param>
    public static IDictionary<string, object?> Define(Archive functionCode, IReadOnlyList<Route>? routes = null)
    {
        var config = new Config(ConfigKeys.Project);
        StageSettings settings = StageSettings.Load(config.Get, Deployment.Instance.StackName);
        string prefix = $"{ConfigKeys.Project}-{settings.StageName}";

        var table = new ItemsTable("items", settings);

        var itemsFunction = new LambdaFunction("items-function", new LambdaFunctionArgs
        {
            FunctionName = $"{prefix}-items",
            Handler = FunctionContract.ItemsHandler,
            Code = functionCode,
            Settings = settings,
            Environment =
            {
                [FunctionContract.TableNameVariable] = table.Table.Name,
                [FunctionContract.CorsAllowedOriginsVariable] = string.Join(",", settings.CorsAllowedOrigins),
            },
            // Exactly the item actions the store calls, on this table only, and its own log group.
            Policy = logGroupArn => IamPolicy.Document(
                logGroupArn.Apply(IamPolicy.WriteLogs),
                table.Table.Arn.Apply(arn => new IamPolicy.Statement(DynamoItemStore.RequiredActions, [arn]))),
        });

        LambdaFunction? authorizerFunction = settings.AuthMode == AuthMode.ApiKeyAndAuthorizer
            ? new LambdaFunction("authorizer-function", new LambdaFunctionArgs
            {
                FunctionName = $"{prefix}-authorizer",
                Handler = FunctionContract.AuthorizerHandler,
                Code = functionCode,
                Settings = settings,
                Environment = { [FunctionContract.AuthorizerTokenHashesVariable] = Output.CreateSecret(string.Join(",", settings.AuthorizerTokenHashes)) },
            })
            : null;

        ApiGatewayAccountSettings? account = settings.ManageApiGatewayAccount ? new ApiGatewayAccountSettings("apigateway-account") : null;

        var frontDoorArgs = new FrontDoorArgs
        {
            Settings = settings,
            Api = ApiDefinition.From(settings, routes ?? RouteTable.All),
            NamePrefix = prefix,
            ItemsFunction = itemsFunction.Function,
            AuthorizerFunction = authorizerFunction?.Function,
            AccountSettings = account?.Account,
        };
        IFrontDoor frontDoor = settings.ApiImplementation == ApiImplementation.Component
            ? new ComponentFrontDoor("api", frontDoorArgs)
            : new RestApiFrontDoor("api", frontDoorArgs);

        var access = new ApiKeyAccess("api-access", settings, prefix, frontDoor);

        var outputs = new Dictionary<string, object?>
        {
            ["url"] = Output.Format($"{frontDoor.InvokeUrl}/items"),
            ["apiKey"] = Output.CreateSecret(access.Key.Value),
            ["apiId"] = frontDoor.RestApiId,
            ["stageName"] = frontDoor.StageName,
            ["tableName"] = table.Table.Name,
            ["functionName"] = itemsFunction.Function.Name,
            ["accessLogGroupName"] = frontDoor.AccessLogGroupName,
        };
        if (settings.CustomDomainName is { } domainName)
            outputs["customUrl"] = new CustomDomain("custom-domain", domainName, settings.HostedZoneName!, frontDoor).Url;
        if (settings.AuthMode == AuthMode.Iam)
            outputs["invokePolicy"] = InvokePolicy(frontDoor, frontDoorArgs.Api);
        return outputs;
    }

    /// <summary>In iam mode: a policy a caller's role can attach to call exactly this stage's routes.</summary>
    private static Output<string> InvokePolicy(IFrontDoor frontDoor, ApiDefinition api) =>
        Output.Tuple(frontDoor.ExecutionArn, frontDoor.StageName).Apply(t => IamPolicy.Document(
        [
            new IamPolicy.Statement(["execute-api:Invoke"],
                api.Routes.Select(r => $"{t.Item1}/{t.Item2}/{r.Method}{RestApiFrontDoor.PermissionPath(r.PathTemplate)}").ToArray()),
        ]));
}
