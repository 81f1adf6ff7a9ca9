using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.AwsApiGateway;
using Pulumi.AwsApiGateway.Inputs;
using ApiMethod = Pulumi.AwsApiGateway.Method;
using GatewayAuthorizerArgs = Pulumi.AwsApiGateway.Inputs.AuthorizerArgs;
using MethodSettings = Pulumi.Aws.ApiGateway.MethodSettings;
using MethodSettingsArgs = Pulumi.Aws.ApiGateway.MethodSettingsArgs;
using Stage = Pulumi.Aws.ApiGateway.Stage;

namespace ItemsApi.Infra.Components;

/// <summary>
/// The same routes built by Pulumi.AwsApiGateway's RestAPI component (apiImplementation: component): far less
/// code, but the component owns the deployment and stage, so the stage has no access log and no CORS preflight
/// (see README, "Two ways to build the API"). Its gateway responses and binary media types are set so that
/// both ways answer with the same statuses and bodies.
/// </summary>
public sealed class RestApiComponent : ComponentResource, IDeployedApi
{
    public RestApiComponent(string name, ItemsApiArgs args, ComponentResourceOptions? options = null)
        : base("items-api:api:RestApiComponent", name, options)
    {
        GatewayPolicy policy = args.Policy;
        List<GatewayAuthorizerArgs> authorizers = policy.Authorizer is { } authorizer && args.AuthorizerFunction is { } handler
            ? [new GatewayAuthorizerArgs
              {
                  AuthorizerName = authorizer.Name,
                  Type = "token",
                  ParameterName = authorizer.IdentityHeader,
                  ParameterLocation = "header",
                  IdentityValidationExpression = authorizer.IdentityValidationExpression,
                  AuthorizerResultTtlInSeconds = authorizer.ResultTtlInSeconds,
                  Handler = handler,
              }]
            : [];

        var restApiArgs = new RestAPIArgs
        {
            StageName = args.Settings.StageName,
            ApiKeySource = APIKeySource.HEADER,
            Description = "Items API (API Gateway → Lambda → DynamoDB), Pulumi.AwsApiGateway component",
            DisableExecuteApiEndpoint = args.Settings.ExecuteApiEndpointDisabled,
            // The component's default is */*, which makes API Gateway base64-encode every body.
            BinaryMediaTypes = [],
            GatewayResponses = GatewayResponses(policy.Cors),
            Routes = args.Routes.Select(route => new RouteArgs
            {
                Path = route.PathTemplate,
                Method = ToMethod(route.Method),
                EventHandler = args.ItemsFunction.Function,
                ApiKeyRequired = route.RequiresApiKey,
                IamAuthEnabled = policy.AuthMode == AuthMode.Iam,
                Authorizers = authorizers,
            }).ToList(),
        };
        var restApi = new RestAPI(name, restApiArgs,
            new ComponentResourceOptions { Parent = this, DependsOn = args.LoggingRole is null ? [] : [args.LoggingRole] });

        RestApiId = restApi.Api.Apply(a => a.Id);
        RestApiName = restApi.Api.Apply(a => a.Name);
        Output<Stage> stage = restApi.Stage;
        StageArn = stage.Apply(s => s.Arn);
        StageName = stage.Apply(s => s.StageName);
        InvokeUrl = stage.Apply(s => s.InvokeUrl);
        ExecutionArn = restApi.Api.Apply(a => a.ExecutionArn);

        new MethodSettings(name, new MethodSettingsArgs
        {
            RestApi = RestApiId,
            StageName = StageName,
            MethodPath = "*/*",
            Settings = RestApiResources.StageMethodSettings(args.Settings, policy),
        }, new CustomResourceOptions { Parent = this });

        RegisterOutputs(new Dictionary<string, object?> { ["invokeUrl"] = InvokeUrl });
    }

    public Output<string> RestApiId { get; }
    public Output<string> RestApiName { get; }
    public Output<string> StageArn { get; }
    public Output<string> StageName { get; }
    public Output<string> InvokeUrl { get; }
    public Output<string> ExecutionArn { get; }
    public Output<string>? AccessLogGroupName => null;

    /// <summary>
    /// The component answers a missing route and a denied request with 404 {"message": "404 Not found" } unless
    /// told otherwise (its generateGatewayResponses); these keep API Gateway's own 403 answers, as the explicit
    /// resources do: a missing route's from <see cref="GatewayAnswer.MissingAuthenticationToken"/>, and ACCESS_DENIED's
    /// (an authorizer's or IAM's denial, whose message varies) at 403, its default status in API Gateway's list of
    /// gateway response types.
    /// </summary>
    internal static Dictionary<string, Input<SwaggerGatewayResponseArgs>> GatewayResponses(CorsPolicy cors)
    {
        var responses = new Dictionary<string, Input<SwaggerGatewayResponseArgs>>();
        (string, int?)[] types =
        [
            (GatewayAnswer.MissingAuthenticationToken.ResponseType, GatewayAnswer.MissingAuthenticationToken.Status), ("ACCESS_DENIED", 403),
            (GatewayAnswer.Default4xx, null), (GatewayAnswer.Default5xx, null),
        ];
        foreach ((string type, int? status) in types)
        {
            var response = new SwaggerGatewayResponseArgs
            {
                ResponseTemplates = { ["application/json"] = ApiDefinition.GatewayResponseTemplate },
                ResponseParameters = RestApiResources.GatewayResponseHeaders(cors.GatewayResponseHeaders),
            };
            if (status is not null) response.StatusCode = status.Value;
            responses[type] = response;
        }
        return responses;
    }

    /// <summary>The component's value for a route's method: every one a route may have (<see cref="RouteSet.Methods"/>).</summary>
    internal static ApiMethod ToMethod(string method) => method switch
    {
        "GET" => ApiMethod.GET,
        "POST" => ApiMethod.POST,
        "PUT" => ApiMethod.PUT,
        "DELETE" => ApiMethod.DELETE,
        "PATCH" => ApiMethod.PATCH,
        "HEAD" => ApiMethod.HEAD,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "No Pulumi.AwsApiGateway method for it"),
    };
}
