using ItemsApi.Core.Settings;
using Pulumi;
using Pulumi.Aws.ApiGateway;
using Pulumi.Aws.ApiGateway.Inputs;
using Pulumi.Aws.CloudWatch;
using Pulumi.Aws.Lambda;
using ApiDeployment = Pulumi.Aws.ApiGateway.Deployment;
using AwsResource = Pulumi.Aws.ApiGateway.Resource;
using AwsResourceArgs = Pulumi.Aws.ApiGateway.ResourceArgs;

namespace ItemsApi.Infra.Components;

/// <summary>What the rest of the stack needs from whichever front door built the API.</summary>
public interface IFrontDoor
{
    Output<string> RestApiId { get; }
    /// <summary>From the stage resource, so whatever uses it waits for the stage.</summary>
    Output<string> StageName { get; }
    Output<string> InvokeUrl { get; }
    Output<string> ExecutionArn { get; }
    Output<string>? AccessLogGroupName { get; }
}

public sealed class FrontDoorArgs
{
    public required StageSettings Settings { get; init; }
    public required ApiDefinition Api { get; init; }
    public required string NamePrefix { get; init; }
    public required Function ItemsFunction { get; init; }
    public Function? AuthorizerFunction { get; init; }
    /// <summary>The region's API Gateway account settings, when this stack manages them (logging needs them first).</summary>
    public Pulumi.Resource? AccountSettings { get; init; }
}

/// <summary>
/// The REST API as explicit resources, in the classic order: rest api → resources → methods →
/// AWS_PROXY integrations → deployment → stage → lambda permissions.
/// </summary>
public sealed class RestApiFrontDoor : ComponentResource, IFrontDoor
{
    public RestApiFrontDoor(string name, FrontDoorArgs args, ComponentResourceOptions? options = null)
        : base("items-api:api:RestApiFrontDoor", name, options)
    {
        ApiDefinition api = args.Api;
        StageSettings settings = args.Settings;
        var child = new CustomResourceOptions { Parent = this };

        var restApi = new RestApi(name, new RestApiArgs
        {
            Name = args.NamePrefix,
            Description = "Items API (API Gateway → Lambda → DynamoDB)",
            EndpointConfiguration = new RestApiEndpointConfigurationArgs { Types = api.EndpointType },
            ApiKeySource = api.ApiKeySource,
        }, child);

        // The resource tree: one Resource per path segment, parents first.
        var resourceIds = new Dictionary<string, Output<string>> { ["/"] = restApi.RootResourceId };
        foreach (string template in api.PathTemplates)
        {
            string parent = template[..template.LastIndexOf('/')] is { Length: > 0 } p ? p : "/";
            resourceIds[template] = new AwsResource($"{name}-{Slug(template)}", new AwsResourceArgs
            {
                RestApi = restApi.Id,
                ParentId = resourceIds[parent],
                PathPart = template[(template.LastIndexOf('/') + 1)..],
            }, child).Id;
        }

        RequestValidator? bodyValidator = null;
        Model? documentModel = null;
        if (api.Routes.Any(r => r.ValidateJsonObjectBody))
        {
            bodyValidator = new RequestValidator($"{name}-body-validator", new RequestValidatorArgs
            {
                RestApi = restApi.Id, Name = "json-object-body", ValidateRequestBody = true, ValidateRequestParameters = false,
            }, child);
            documentModel = new Model($"{name}-document-model", new ModelArgs
            {
                RestApi = restApi.Id, Name = "ItemDocument", ContentType = "application/json", Schema = api.RequestModelSchema,
                Description = "Any JSON object",
            }, child);
        }

        Authorizer? authorizer = null;
        if (api.Authorizer is { } authorizerDefinition && args.AuthorizerFunction is { } authorizerFunction)
        {
            authorizer = new Authorizer($"{name}-authorizer", new AuthorizerArgs
            {
                RestApi = restApi.Id,
                Name = "bearer-token",
                Type = authorizerDefinition.Type,
                AuthorizerUri = authorizerFunction.InvokeArn,
                IdentitySource = authorizerDefinition.IdentitySource,
                IdentityValidationExpression = authorizerDefinition.IdentityValidationExpression,
                AuthorizerResultTtlInSeconds = authorizerDefinition.ResultTtlInSeconds,
            }, child);
            new Permission($"{name}-authorizer-invoke", new PermissionArgs
            {
                Action = "lambda:InvokeFunction",
                Function = authorizerFunction.Name,
                Principal = "apigateway.amazonaws.com",
                SourceArn = Output.Format($"{restApi.ExecutionArn}/authorizers/{authorizer.Id}"),
            }, child);
        }

        var apiParts = new List<Pulumi.Resource>();
        foreach (RouteDefinition route in api.Routes)
        {
            string routeName = $"{name}-{route.Method}-{Slug(route.PathTemplate)}";
            var methodArgs = new MethodArgs
            {
                RestApi = restApi.Id,
                ResourceId = resourceIds[route.PathTemplate],
                HttpMethod = route.Method,
                Authorization = route.Authorization,
                ApiKeyRequired = route.ApiKeyRequired,
            };
            if (authorizer is not null) methodArgs.AuthorizerId = authorizer.Id;
            if (route.ValidateJsonObjectBody)
            {
                methodArgs.RequestValidatorId = bodyValidator!.Id;
                methodArgs.RequestModels.Add("application/json", documentModel!.Name);
            }
            var method = new Method(routeName, methodArgs, child);
            var integration = new Integration(routeName, new IntegrationArgs
            {
                RestApi = restApi.Id,
                ResourceId = resourceIds[route.PathTemplate],
                HttpMethod = method.HttpMethod,
                Type = route.IntegrationType,
                IntegrationHttpMethod = route.IntegrationHttpMethod,
                Uri = args.ItemsFunction.InvokeArn,
            }, child);
            apiParts.Add(method);
            apiParts.Add(integration);

            // Any stage (so the console's Test button works), but only this API, method and path.
            new Permission(routeName, new PermissionArgs
            {
                Action = "lambda:InvokeFunction",
                Function = args.ItemsFunction.Name,
                Principal = "apigateway.amazonaws.com",
                SourceArn = Output.Format($"{restApi.ExecutionArn}/*/{route.Method}{PermissionPath(route.PathTemplate)}"),
            }, child);
        }

        if (api.Cors is { } cors)
            apiParts.AddRange(DeclareCors(name, restApi, resourceIds, api, cors, child));

        var deployment = new ApiDeployment(name, new DeploymentArgs
        {
            RestApi = restApi.Id,
            Description = "Managed by Pulumi; redeployed when the API definition changes",
            Triggers = { ["apiDefinition"] = api.Fingerprint() },
        }, new CustomResourceOptions { Parent = this, DependsOn = apiParts });

        var accessLogs = new LogGroup($"{name}-access-logs", new LogGroupArgs
        {
            Name = $"/aws/apigateway/{args.NamePrefix}/access",
            RetentionInDays = settings.LogRetentionDays,
        }, child);

        var stage = new Stage(name, new StageArgs
        {
            RestApi = restApi.Id,
            Deployment = deployment.Id,
            StageName = settings.StageName,
            XrayTracingEnabled = settings.LambdaTracing,
            AccessLogSettings = new StageAccessLogSettingsArgs
            {
                DestinationArn = accessLogs.Arn,
                Format = AccessLogFormat.ApiGatewayFormat,
            },
        }, new CustomResourceOptions { Parent = this, DependsOn = args.AccountSettings is null ? [] : [args.AccountSettings] });

        new MethodSettings(name, new MethodSettingsArgs
        {
            RestApi = restApi.Id,
            StageName = stage.StageName,
            MethodPath = "*/*",
            Settings = StageMethodSettings(settings),
        }, child);

        RestApiId = restApi.Id;
        StageName = stage.StageName;
        InvokeUrl = stage.InvokeUrl;
        ExecutionArn = restApi.ExecutionArn;
        AccessLogGroupName = accessLogs.Name;
        RegisterOutputs(new Dictionary<string, object?> { ["invokeUrl"] = InvokeUrl });
    }

    public Output<string> RestApiId { get; }
    public Output<string> StageName { get; }
    public Output<string> InvokeUrl { get; }
    public Output<string> ExecutionArn { get; }
    public Output<string>? AccessLogGroupName { get; }

    /// <summary>Metrics, execution-log level and stage-wide throttling for every method.</summary>
    internal static MethodSettingsSettingsArgs StageMethodSettings(StageSettings settings) => new()
    {
        MetricsEnabled = settings.MetricsEnabled,
        LoggingLevel = settings.ExecutionLogLevel,
        DataTraceEnabled = false, // full request/response logging would put item data in the logs
        ThrottlingRateLimit = settings.StageThrottleRateLimit,
        ThrottlingBurstLimit = settings.StageThrottleBurstLimit,
    };

    /// <summary>/items/{id} → /items/* : the execute-api ARN holds the concrete path.</summary>
    internal static string PermissionPath(string template) =>
        string.Join('/', template.Split('/').Select(s => s.StartsWith('{') ? "*" : s));

    private static string Slug(string template) =>
        template.Trim('/').Replace("{", "").Replace("}", "").Replace('/', '-');

    /// <summary>OPTIONS on every path (a MOCK answer, no key needed) and CORS headers on API Gateway's errors.</summary>
    private static IEnumerable<Pulumi.Resource> DeclareCors(string name, RestApi restApi, Dictionary<string, Output<string>> resourceIds,
        ApiDefinition api, CorsDefinition cors, CustomResourceOptions child)
    {
        string header(string h) => $"method.response.header.{h}";
        string[] corsHeaders = ["Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age", "Vary"];

        foreach (string template in api.PathTemplates)
        {
            string methods = string.Join(",", api.Routes.Where(r => r.PathTemplate == template).Select(r => r.Method).Append("OPTIONS"));
            string optionsName = $"{name}-OPTIONS-{Slug(template)}";
            var options = new Method(optionsName, new MethodArgs
            {
                RestApi = restApi.Id, ResourceId = resourceIds[template], HttpMethod = "OPTIONS", Authorization = "NONE", ApiKeyRequired = false,
            }, child);
            var mock = new Integration(optionsName, new IntegrationArgs
            {
                RestApi = restApi.Id, ResourceId = resourceIds[template], HttpMethod = options.HttpMethod, Type = "MOCK",
                RequestTemplates = { ["application/json"] = "{\"statusCode\": 204}" },
            }, child);
            var methodResponse = new MethodResponse(optionsName, new MethodResponseArgs
            {
                RestApi = restApi.Id, ResourceId = resourceIds[template], HttpMethod = options.HttpMethod, StatusCode = "204",
                ResponseParameters = corsHeaders.ToDictionary(header, _ => false),
            }, child);
            var integrationResponse = new IntegrationResponse(optionsName, new IntegrationResponseArgs
            {
                RestApi = restApi.Id, ResourceId = resourceIds[template], HttpMethod = options.HttpMethod, StatusCode = methodResponse.StatusCode,
                ResponseParameters =
                {
                    [header("Access-Control-Allow-Methods")] = $"'{methods}'",
                    [header("Access-Control-Allow-Headers")] = $"'{cors.AllowedHeaders}'",
                    [header("Access-Control-Max-Age")] = $"'{cors.MaxAgeSeconds}'",
                    [header("Vary")] = "'Origin'",
                },
                // The allowed origin is echoed only when it is on the list.
                ResponseTemplates = { ["application/json"] = AllowOriginTemplate(cors.AllowedOrigins) },
            }, new CustomResourceOptions { Parent = child.Parent, DependsOn = { mock } });
            yield return options;
            yield return mock;
            yield return methodResponse;
            yield return integrationResponse;
        }

        // API Gateway's own errors (403 bad key, 429 throttled, ...) need the header too, or browsers hide them.
        string allowOrigin = cors.AllowedOrigins.Count == 1 ? $"'{cors.AllowedOrigins[0]}'" : "method.request.header.origin";
        foreach (string responseType in new[] { "DEFAULT_4XX", "DEFAULT_5XX" })
            yield return new Response($"{name}-{responseType}", new ResponseArgs
            {
                RestApiId = restApi.Id,
                ResponseType = responseType,
                ResponseParameters =
                {
                    ["gatewayresponse.header.Access-Control-Allow-Origin"] = allowOrigin,
                    ["gatewayresponse.header.Vary"] = "'Origin'",
                },
            }, child);
    }

    /// <summary>A mapping template that sets Access-Control-Allow-Origin when the request's Origin is allowed.</summary>
    internal static string AllowOriginTemplate(IReadOnlyList<string> origins)
    {
        string list = string.Join(",", origins.Select(o => $"\"{o}\""));
        return $$"""
            #set($origin = $input.params().header.get("Origin"))
            #if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end
            #set($allowed = [{{list}}])
            #if($allowed.contains("*"))#set($context.responseOverride.header.Access-Control-Allow-Origin = "*")
            #elseif($allowed.contains($origin))#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end
            """;
    }
}
