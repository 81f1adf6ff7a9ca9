using System.Security.Cryptography;
using System.Text;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Aws.ApiGateway;
using Pulumi.Aws.ApiGateway.Inputs;
using Pulumi.Aws.CloudWatch;
using Pulumi.Aws.Lambda;
using ApiDeployment = Pulumi.Aws.ApiGateway.Deployment;
using AwsResource = Pulumi.Aws.ApiGateway.Resource;
using AwsResourceArgs = Pulumi.Aws.ApiGateway.ResourceArgs;

namespace ItemsApi.Infra.Components;

/// <summary>
/// The REST API as explicit resources, in the classic order: rest api → resources → methods → AWS_PROXY
/// integrations → lambda permission → deployment → stage (apiImplementation: resources, the default).
/// </summary>
/// <remarks>
/// Order of operations on `pulumi up` (README, "What an update does"): Pulumi runs every create and update
/// first and deletes what left the program last. A new deployment therefore snapshots the API while a removed
/// route's method still exists, and the stage goes on serving that method. So nothing a stale method needs is
/// per-route: one permission lets any method of this API invoke the function, and the function answers a
/// route it does not have with a JSON 404 or 405 from its own route table. Gateway responses are always
/// declared (CORS only changes their headers), so turning CORS off updates them instead of deleting them.
/// </remarks>
public sealed class RestApiResources : ComponentResource, IDeployedApi
{
    public RestApiResources(string name, ItemsApiArgs args, ComponentResourceOptions? options = null)
        : base("items-api:api:RestApiResources", name, options)
    {
        StageSettings settings = args.Settings;
        // The API's own resources are built from this record alone, and its hash is the deployment trigger (ApiDefinition).
        ApiDefinition definition = ApiDefinition.For(settings, args.Policy, args.Routes);
        var child = new CustomResourceOptions { Parent = this };

        var restApi = new RestApi(name, new RestApiArgs
        {
            Name = args.NamePrefix,
            Description = "Items API (API Gateway → Lambda → DynamoDB)",
            EndpointConfiguration = new RestApiEndpointConfigurationArgs { Types = definition.EndpointType },
            ApiKeySource = definition.ApiKeySource,
            DisableExecuteApiEndpoint = definition.ExecuteApiEndpointDisabled,
            Tags = StageTags.For(settings),
        }, child);

        // Any stage, method and path of this API may invoke the function (see remarks): one statement, so the
        // function's resource policy stays far below Lambda's 20 KB limit however many routes there are. OPTIONS
        // methods have MOCK integrations (CORS preflight, below), so no OPTIONS request ever invokes it.
        var invokePermissionArgs = new PermissionArgs
        {
            Action = "lambda:InvokeFunction",
            Function = args.ItemsFunction.Function.Name,
            Principal = "apigateway.amazonaws.com",
            SourceArn = Output.Format($"{restApi.ExecutionArn}/*/*/*"),
        };
        if (args.ItemsFunction.Qualifier is { } alias) invokePermissionArgs.Qualifier = alias;
        var invokePermission = new Permission($"{name}-invoke", invokePermissionArgs, child);
        var snapshotParts = new List<Pulumi.Resource> { invokePermission };

        // The resource tree: one Resource per path segment, parents first.
        var resourceIds = new Dictionary<string, Output<string>> { ["/"] = restApi.RootResourceId };
        foreach (string template in definition.ResourcePaths)
        {
            string parent = template[..template.LastIndexOf('/')] is { Length: > 0 } p ? p : "/";
            var resource = new AwsResource($"{name}-{Slug(template)}", new AwsResourceArgs
            {
                RestApi = restApi.Id,
                ParentId = resourceIds[parent],
                PathPart = template[(template.LastIndexOf('/') + 1)..],
            }, child);
            resourceIds[template] = resource.Id;
            snapshotParts.Add(resource);
        }

        RequestValidator? bodyValidator = null;
        Model? documentModel = null;
        ApiDefinition.BodyValidation validation = definition.Validation;
        if (definition.ValidatesBodies)
        {
            bodyValidator = new RequestValidator($"{name}-body-validator", new RequestValidatorArgs
            {
                RestApi = restApi.Id, Name = validation.ValidatorName, ValidateRequestBody = validation.ValidateRequestBody,
                ValidateRequestParameters = validation.ValidateRequestParameters,
            }, child);
            documentModel = new Model($"{name}-document-model", new ModelArgs
            {
                RestApi = restApi.Id, Name = validation.ModelName, ContentType = validation.ModelContentType, Schema = validation.ModelSchema,
                Description = validation.ModelDescription,
            }, child);
            snapshotParts.Add(bodyValidator);
            snapshotParts.Add(documentModel);
        }

        Authorizer? authorizer = null;
        if (definition.Authorizer is { } authorizerPolicy && args.AuthorizerFunction is { } authorizerFunction)
        {
            authorizer = new Authorizer($"{name}-authorizer", new AuthorizerArgs
            {
                RestApi = restApi.Id,
                Name = authorizerPolicy.Name,
                Type = authorizerPolicy.Type,
                AuthorizerUri = authorizerFunction.InvokeArn,
                IdentitySource = authorizerPolicy.IdentitySource,
                IdentityValidationExpression = authorizerPolicy.IdentityValidationExpression,
                AuthorizerResultTtlInSeconds = authorizerPolicy.ResultTtlInSeconds,
            }, child);
            snapshotParts.Add(authorizer);
            snapshotParts.Add(new Permission($"{name}-authorizer-invoke", new PermissionArgs
            {
                Action = "lambda:InvokeFunction",
                Function = authorizerFunction.Name,
                Principal = "apigateway.amazonaws.com",
                SourceArn = Output.Format($"{restApi.ExecutionArn}/authorizers/{authorizer.Id}"),
            }, child));
        }

        var integrations = new List<Integration>();
        foreach (ApiDefinition.RouteMethod route in definition.Routes)
        {
            var methodArgs = new MethodArgs
            {
                RestApi = restApi.Id,
                ResourceId = resourceIds[route.PathTemplate],
                HttpMethod = route.Method,
                Authorization = definition.MethodAuthorization,
                ApiKeyRequired = route.RequiresApiKey,
            };
            if (authorizer is not null) methodArgs.AuthorizerId = authorizer.Id;
            if (route.RequiresJsonObjectBody)
            {
                methodArgs.RequestValidatorId = bodyValidator!.Id;
                methodArgs.RequestModels.Add(validation.ModelContentType, documentModel!.Name);
            }
            integrations.Add(DeclareProxyMethod($"{name}-{route.Method}-{Slug(route.PathTemplate)}", methodArgs, restApi, args, definition.Integration, snapshotParts, child));
        }

        // CORS preflight: OPTIONS on every path, without key or authorizer, answered by API Gateway itself (MOCK, no Lambda).
        foreach (CorsPreflight preflight in definition.CorsPreflights)
            DeclarePreflight($"{name}-OPTIONS-{Slug(preflight.PathTemplate)}", preflight, restApi, resourceIds[preflight.PathTemplate], snapshotParts, child);

        // API Gateway's own errors (403 bad key, 429 throttled, ...): a JSON message, plus CORS headers when on.
        ApiDefinition.ErrorResponses errors = definition.GatewayResponses;
        foreach (string responseType in errors.Types)
            snapshotParts.Add(new Response($"{name}-{responseType}", new ResponseArgs
            {
                RestApiId = restApi.Id,
                ResponseType = responseType,
                ResponseTemplates = { [errors.ContentType] = errors.Template },
                ResponseParameters = GatewayResponseHeaders(errors.Headers),
            }, child));

        var deployment = new ApiDeployment(name, new DeploymentArgs
        {
            RestApi = restApi.Id,
            Description = "Managed by Pulumi; redeployed when anything the snapshot holds changes",
            Triggers = DeploymentTriggers(definition.Fingerprint, integrations, authorizer),
        }, DeploymentOptions(this, snapshotParts));

        Output<string> stageName = Output.Create(settings.StageName);
        // API Gateway would create this group itself on the first execution log line, with no expiry.
        var executionLogs = new LogGroup($"{name}-execution-logs", new LogGroupArgs
        {
            Name = Output.Format($"API-Gateway-Execution-Logs_{restApi.Id}/{stageName}"),
            RetentionInDays = settings.LogRetentionDays,
            Tags = StageTags.For(settings),
        }, child);

        LogGroup? accessLogs = settings.AccessLogs
            ? new LogGroup($"{name}-access-logs", new LogGroupArgs
            {
                Name = $"/aws/apigateway/{args.NamePrefix}/access",
                RetentionInDays = settings.LogRetentionDays,
                Tags = StageTags.For(settings),
            }, child)
            : null;

        var stageDependencies = new List<Pulumi.Resource> { executionLogs };
        if (args.LoggingRole is not null) stageDependencies.Add(args.LoggingRole);
        var stageArgs = new StageArgs
        {
            RestApi = restApi.Id,
            Deployment = deployment.Id,
            StageName = settings.StageName,
            XrayTracingEnabled = settings.LambdaTracing,
            Tags = StageTags.For(settings),
        };
        if (accessLogs is not null)
            stageArgs.AccessLogSettings = new StageAccessLogSettingsArgs { DestinationArn = accessLogs.Arn, Format = AccessLogFormat.ApiGatewayFormat };
        var stage = new Stage(name, stageArgs, new CustomResourceOptions { Parent = this, DependsOn = stageDependencies });

        new MethodSettings(name, new MethodSettingsArgs
        {
            RestApi = restApi.Id,
            StageName = stage.StageName,
            MethodPath = "*/*",
            Settings = StageMethodSettings(settings, args.Policy),
        }, new CustomResourceOptions { Parent = this, DependsOn = stageDependencies });

        RestApiId = restApi.Id;
        RestApiName = restApi.Name;
        StageArn = stage.Arn;
        StageName = stage.StageName;
        InvokeUrl = stage.InvokeUrl;
        ExecutionArn = restApi.ExecutionArn;
        AccessLogGroupName = accessLogs?.Name;
        RegisterOutputs(new Dictionary<string, object?> { ["invokeUrl"] = InvokeUrl });
    }

    public Output<string> RestApiId { get; }
    public Output<string> RestApiName { get; }
    public Output<string> StageArn { get; }
    public Output<string> StageName { get; }
    public Output<string> InvokeUrl { get; }
    public Output<string> ExecutionArn { get; }
    public Output<string>? AccessLogGroupName { get; }

    /// <summary>
    /// The deployment is created only after everything its snapshot holds, the lambda permission included,
    /// so the first calls after `up` find the function allowed.
    /// </summary>
    internal static CustomResourceOptions DeploymentOptions(Pulumi.Resource parent, IReadOnlyList<Pulumi.Resource> snapshotParts) =>
        new() { Parent = parent, DependsOn = snapshotParts.ToList() };

    /// <summary>
    /// A new deployment whenever the API definition or anything its methods point at changes: the integration
    /// URIs (a replaced function has a new ARN) and the authorizer's URI. Unchanged inputs give the same triggers.
    /// </summary>
    internal static InputMap<string> DeploymentTriggers(string apiFingerprint, IReadOnlyList<Integration> integrations, Authorizer? authorizer) => new()
    {
        ["apiDefinition"] = apiFingerprint,
        ["integrationUris"] = Output.All(integrations.Select(i => i.Uri.Apply(uri => uri ?? ""))).Apply(uris => Hash(string.Join('\n', uris))),
        ["authorizerUri"] = authorizer is null ? Output.Create("") : authorizer.AuthorizerUri.Apply(uri => Hash(uri ?? "")),
    };

    /// <summary>Metrics, execution-log level and the per-method stage throttle (the gateway policy's).</summary>
    internal static MethodSettingsSettingsArgs StageMethodSettings(StageSettings settings, GatewayPolicy policy) => new()
    {
        MetricsEnabled = settings.MetricsEnabled,
        LoggingLevel = ConfigKeys.ExecutionLogLevel.WordFor(settings.ExecutionLogLevel),
        DataTraceEnabled = false, // full request/response logging would put item data in the logs
        // "*/*" gives each method its own bucket with these limits (API Gateway's method-level stage throttle).
        ThrottlingRateLimit = policy.MethodThrottle.RatePerSecond,
        ThrottlingBurstLimit = policy.MethodThrottle.Burst,
    };

    internal static InputMap<string> GatewayResponseHeaders(IReadOnlyDictionary<string, string> fixedHeaders)
    {
        var headers = new InputMap<string>();
        foreach ((string name, string value) in fixedHeaders) headers.Add($"gatewayresponse.header.{name}", $"'{value}'");
        return headers;
    }

    /// <summary>/items/{id} → /items/* : the execute-api ARN holds the concrete path.</summary>
    internal static string PermissionPath(string template) =>
        string.Join('/', template.Split('/').Select(s => s.StartsWith('{') ? "*" : s));

    private static Integration DeclareProxyMethod(string routeName, MethodArgs methodArgs, RestApi restApi, ItemsApiArgs args,
        ApiDefinition.ProxyIntegration proxy, List<Pulumi.Resource> snapshotParts, CustomResourceOptions child)
    {
        var method = new Method(routeName, methodArgs, child);
        var integration = new Integration(routeName, new IntegrationArgs
        {
            RestApi = restApi.Id,
            ResourceId = methodArgs.ResourceId,
            HttpMethod = method.HttpMethod,
            Type = proxy.Type,
            IntegrationHttpMethod = proxy.HttpMethod,
            Uri = args.ItemsFunction.InvokeArn,
            TimeoutMilliseconds = proxy.TimeoutMilliseconds,
        }, child);
        snapshotParts.Add(method);
        snapshotParts.Add(integration);
        return integration;
    }

    /// <summary>
    /// The OPTIONS method and its MOCK integration (<see cref="CorsPreflight"/>): the integration's status comes from its
    /// request template; the method response declares every header the answer may carry; the integration response sets the
    /// fixed ones as parameters and the per-origin ones from its mapping template.
    /// </summary>
    private static void DeclarePreflight(string routeName, CorsPreflight preflight, RestApi restApi, Output<string> resourceId,
        List<Pulumi.Resource> snapshotParts, CustomResourceOptions child)
    {
        string status = preflight.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var method = new Method(routeName, new MethodArgs
        {
            RestApi = restApi.Id, ResourceId = resourceId, HttpMethod = "OPTIONS", Authorization = "NONE", ApiKeyRequired = false,
        }, child);
        var integration = new Integration(routeName, new IntegrationArgs
        {
            RestApi = restApi.Id,
            ResourceId = resourceId,
            HttpMethod = method.HttpMethod,
            Type = "MOCK",
            PassthroughBehavior = CorsPreflight.PassthroughBehavior,
            RequestTemplates = { [CorsPreflight.TemplateContentType] = preflight.RequestTemplate },
        }, child);
        var methodResponse = new MethodResponse(routeName, new MethodResponseArgs
        {
            RestApi = restApi.Id,
            ResourceId = resourceId,
            HttpMethod = method.HttpMethod,
            StatusCode = status,
            ResponseParameters = preflight.ResponseHeaders.ToDictionary(header => $"method.response.header.{header}", _ => false),
        }, child);
        var integrationResponseArgs = new IntegrationResponseArgs
        {
            RestApi = restApi.Id,
            ResourceId = resourceId,
            HttpMethod = method.HttpMethod,
            StatusCode = methodResponse.StatusCode,
            ResponseParameters = preflight.StaticHeaders.ToDictionary(h => $"method.response.header.{h.Key}", h => $"'{h.Value}'"),
        };
        // With "*" every header is fixed and there is no template (an empty body either way).
        if (preflight.ResponseTemplate.Length > 0) integrationResponseArgs.ResponseTemplates.Add(CorsPreflight.TemplateContentType, preflight.ResponseTemplate);
        var integrationResponse = new IntegrationResponse(routeName, integrationResponseArgs,
            new CustomResourceOptions { Parent = child.Parent, DependsOn = { integration } });
        snapshotParts.AddRange([method, integration, methodResponse, integrationResponse]);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Slug(string template) =>
        template.Trim('/').Replace("{", "").Replace("}", "").Replace('/', '-');
}
