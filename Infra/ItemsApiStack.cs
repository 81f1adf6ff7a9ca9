using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.DeployTime.Operations;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;
using ItemsApi.Infra.Components;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>
/// One stage of the items API: table → function → REST API → API key + usage plan, with logs.
/// Config is read and validated first; nothing is built or declared if any key is invalid.
/// </summary>
public static class ItemsApiStack
{
    /// <summary>The program `pulumi up` runs (Program.cs): validate config, build the function code, declare the stage.</summary>
    /// <param name="buildFunctionCode">Publishes Functions/ (<see cref="FunctionPackage.Publish"/>); called only with valid settings.</param>
    /// <param name="aws">
    /// The program's own AWS calls in a region, as the provider's identity (Program.cs: <see cref="AwsApis.ForProvider"/>):
    /// the account reads at preview (<see cref="AccountReads"/>), the pruning of old function versions and the authorizer
    /// cache flush (<see cref="AuthorizerCacheFlush"/>). Creating it may
    /// fail (credentials); every use turns that into a warning. Null: nothing is read or deleted (tests that don't look).
    /// </param>
    public static async Task<IDictionary<string, object?>> RunAsync(Func<StageSettings, Archive> buildFunctionCode,
        Func<string, AwsApis>? aws = null)
    {
        var config = new Config(ConfigKeys.Project);
        StageSettings configured = StageSettings.Load(config.Get, Deployment.Instance.StackName, StackSecrets.IsEncrypted);
        StackSecrets secrets = StackSecrets.Read(config, configured);
        string region = (await Pulumi.Aws.GetRegion.InvokeAsync()).Region;
        AccountReads account = await AccountReads.ReadAsync(configured, aws, region);
        StageSettings settings = account.Settings;
        bool loggingRoleExists = settings.DeclaresLoggingRole && await ApiGatewayLoggingRole.RoleExistsAsync();
        return Define(settings, secrets, buildFunctionCode(settings), loggingRoleExists, account.ReservedConcurrency, aws);
    }

    private static Dictionary<string, object?> Define(StageSettings settings, StackSecrets secrets, Archive functionCode, bool loggingRoleExists,
        int reservedConcurrency, Func<string, AwsApis>? aws)
    {
        string prefix = settings.NamePrefix;
        GatewayPolicy policy = GatewayPolicy.For(settings);
        CorsPolicy cors = policy.Cors;

        var table = new ItemsTable("items", settings);

        var itemsFunction = new LambdaFunction("items-function", new LambdaFunctionArgs
        {
            FunctionName = $"{prefix}-items",
            Handler = FunctionHandlers.ItemsHandlerFor(settings.FunctionBuild),
            Code = functionCode,
            Settings = settings,
            ServeThroughAlias = true,
            Aws = aws,
            ReservedConcurrency = reservedConcurrency,
            Environment =
            {
                [FunctionContract.TableNameVariable] = table.Table.Name,
                [FunctionContract.CorsAllowedOriginsVariable] = string.Join(",", cors.AllowedOrigins),
                [FunctionContract.CorsAllowedHeadersVariable] = cors.AllowedHeaders,
                [FunctionContract.IdempotencyWindowHoursVariable] = settings.IdempotencyWindowHours.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            // Exactly the item actions the store calls, on this table only, and its own log group.
            Policy = logGroupArn => IamPolicy.Document(
                logGroupArn.Apply(IamPolicy.WriteLogs),
                table.Table.Arn.Apply(arn => new IamPolicy.Statement(DynamoItemStore.RequiredActions, [arn]))),
        });

        LambdaFunction? authorizerFunction = secrets.AuthorizerTokenHashes is { } hashes && settings.AuthMode == AuthMode.ApiKeyAndAuthorizer
            ? new LambdaFunction("authorizer-function", new LambdaFunctionArgs
            {
                FunctionName = $"{prefix}-authorizer",
                Handler = FunctionHandlers.AuthorizerHandlerFor(settings.FunctionBuild),
                Code = functionCode,
                Settings = settings,
                // Callers without a key make it run (API Gateway calls the authorizer before checking the key): small and capped.
                MemoryMb = settings.AuthorizerMemoryMb,
                ReservedConcurrency = settings.AuthorizerReservation,
                Environment = { [FunctionContract.AuthorizerTokenHashesVariable] = hashes },
            })
            : null;

        ApiGatewayLoggingRole? loggingRole = settings.DeclaresLoggingRole
            ? new ApiGatewayLoggingRole("apigateway-logging-role", loggingRoleExists)
            : null;

        var apiArgs = new ItemsApiArgs
        {
            Settings = settings,
            Policy = policy,
            Routes = RouteTable.All,
            NamePrefix = prefix,
            ItemsFunction = itemsFunction,
            AuthorizerFunction = authorizerFunction?.Function,
            LoggingRole = loggingRole?.Account,
        };
        IDeployedApi api = settings.ApiImplementation == ApiImplementation.Component
            ? new RestApiComponent("api", apiArgs)
            : new RestApiResources("api", apiArgs);

        var access = new ApiKeyAccess("api-access", settings, policy, prefix, api, secrets.ApiKeyValue, secrets.NextApiKeyValue);
        if (authorizerFunction is not null && aws is not null)
            AuthorizerCacheFlush.AfterUpdate(aws, api, authorizerFunction.Function);

        var outputs = new Dictionary<string, object?>
        {
            [StackOutputNames.Url] = Output.Format($"{api.InvokeUrl}{RouteTable.ItemsPath}"),
            [StackOutputNames.ApiKey] = Output.CreateSecret(access.Key.Value),
            [StackOutputNames.ApiId] = api.RestApiId,
            [StackOutputNames.StageName] = api.StageName,
            [StackOutputNames.TableName] = table.Table.Name,
            [StackOutputNames.FunctionName] = itemsFunction.Function.Name,
            // What `verify` needs besides url and key: which checks apply to this stage.
            [StackOutputNames.AuthMode] = Output.Create(ConfigKeys.AuthMode.WordFor(settings.AuthMode)),
            [StackOutputNames.CorsAllowedOrigins] = Output.Create(settings.CorsAllowedOrigins.ToArray()),
        };
        if (itemsFunction.DeletedVersions is { } deletedVersions) outputs[StackOutputNames.DeletedFunctionVersions] = deletedVersions;
        if (access.NextKey is { } nextKey) outputs[StackOutputNames.NextApiKey] = Output.CreateSecret(nextKey.Value);
        if (api.AccessLogGroupName is { } accessLogGroupName) outputs[StackOutputNames.AccessLogGroupName] = accessLogGroupName;

        // Operations: saved log queries always; the hard ceiling and alarms with their dashboard when configured.
        Output<StageNames> names = StageNamesOf(api, itemsFunction, table, settings.WafRateLimit > 0 ? prefix : null);
        new SavedLogQueries("log-queries", settings, names);
        if (settings.WafRateLimit > 0)
            outputs[StackOutputNames.WebAclArn] = new RateCeiling("rate-ceiling", settings, prefix, api).WebAcl.Arn;
        if (settings.Monitoring)
        {
            var monitoring = new StageMonitoring("monitoring", settings, $"{ConfigKeys.Project}-{settings.MonitoringScope}", names);
            outputs[StackOutputNames.DashboardUrl] = monitoring.DashboardUrl;
            outputs[StackOutputNames.AlarmTopicArn] = monitoring.Topic.Arn;
        }
        if (settings.CustomDomainName is not null)
        {
            // With a custom domain, clients use it; the execute-api URL is an output only while it still answers.
            var domain = new CustomDomain("custom-domain", settings, api);
            if (!settings.ExecuteApiEndpointDisabled) outputs[StackOutputNames.ExecuteApiUrl] = outputs[StackOutputNames.Url];
            outputs[StackOutputNames.Url] = domain.Url;
        }
        if (settings.AuthMode == AuthMode.Iam)
            outputs[StackOutputNames.InvokePolicy] = InvokePolicy(api, apiArgs.Routes);
        return outputs;
    }

    /// <param name="ceilingPrefix">The name prefix the WAF ceiling was declared with; null without one.</param>
    private static Output<StageNames> StageNamesOf(IDeployedApi api, LambdaFunction function, ItemsTable table, string? ceilingPrefix) =>
        Output.Tuple(Pulumi.Aws.GetRegion.Invoke().Apply(r => r.Region), api.RestApiName, api.StageName, function.Function.Name, table.Table.Name,
                function.LogGroup.Name, api.AccessLogGroupName ?? Output.Create(""))
            .Apply(t => new StageNames
            {
                Region = t.Item1, ApiName = t.Item2, StageName = t.Item3, FunctionName = t.Item4, TableName = t.Item5,
                FunctionLogGroup = t.Item6, AccessLogGroup = t.Item7.Length == 0 ? null : t.Item7,
                WebAclName = ceilingPrefix is null ? null : StageNames.WebAclNameFor(ceilingPrefix),
                WebAclRuleMetric = ceilingPrefix is null ? null : StageNames.WebAclRuleMetricFor(ceilingPrefix),
            });

    /// <summary>In iam mode: a policy a caller's role can attach to call exactly this stage's routes.</summary>
    private static Output<string> InvokePolicy(IDeployedApi api, IReadOnlyList<Route> routes) =>
        Output.Tuple(api.ExecutionArn, api.StageName).Apply(t => IamPolicy.Document(
        [
            new IamPolicy.Statement(["execute-api:Invoke"],
                routes.Select(r => $"{t.Item1}/{t.Item2}/{r.Method}{RestApiResources.PermissionPath(r.PathTemplate)}").ToArray()),
        ]));
}
