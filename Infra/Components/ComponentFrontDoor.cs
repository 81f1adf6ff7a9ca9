using ItemsApi.Core.Settings;
using Pulumi;
using Pulumi.AwsApiGateway;
using Pulumi.AwsApiGateway.Inputs;
using ApiMethod = Pulumi.AwsApiGateway.Method;
using MethodSettings = Pulumi.Aws.ApiGateway.MethodSettings;
using MethodSettingsArgs = Pulumi.Aws.ApiGateway.MethodSettingsArgs;
using Stage = Pulumi.Aws.ApiGateway.Stage;
using GatewayAuthorizerArgs = Pulumi.AwsApiGateway.Inputs.AuthorizerArgs;

namespace ItemsApi.Infra.Components;

/// <summary>
/// The same routes built by Pulumi.AwsApiGateway's RestAPI component (apiImplementation: component):
/// far less code, but the component owns the deployment and stage, so there are no access logs, no
/// request model and no CORS OPTIONS here (see README, "Two front doors").
/// </summary>
public sealed class ComponentFrontDoor : ComponentResource, IFrontDoor
{
    public ComponentFrontDoor(string name, FrontDoorArgs args, ComponentResourceOptions? options = null)
        : base("items-api:api:ComponentFrontDoor", name, options)
    {
        ApiDefinition api = args.Api;
        List<GatewayAuthorizerArgs> authorizers = api.Authorizer is { } authorizer && args.AuthorizerFunction is { } handler
            ? [new GatewayAuthorizerArgs
              {
                  AuthorizerName = "bearer-token",
                  Type = "token",
                  ParameterName = "Authorization",
                  ParameterLocation = "header",
                  IdentityValidationExpression = authorizer.IdentityValidationExpression,
                  AuthorizerResultTtlInSeconds = authorizer.ResultTtlInSeconds,
                  Handler = handler,
              }]
            : [];

        var restApi = new RestAPI(name, new RestAPIArgs
        {
            StageName = args.Settings.StageName,
            ApiKeySource = APIKeySource.HEADER,
            Description = "Items API (API Gateway → Lambda → DynamoDB), Pulumi.AwsApiGateway component",
            Routes = api.Routes.Select(route => new RouteArgs
            {
                Path = route.PathTemplate,
                Method = ToMethod(route.Method),
                EventHandler = args.ItemsFunction,
                ApiKeyRequired = route.ApiKeyRequired,
                IamAuthEnabled = route.Authorization == "AWS_IAM",
                Authorizers = authorizers,
            }).ToList(),
        }, new ComponentResourceOptions { Parent = this, DependsOn = args.AccountSettings is null ? [] : [args.AccountSettings] });

        RestApiId = restApi.Api.Apply(a => a.Id);
        Output<Stage> stage = restApi.Stage;
        StageName = stage.Apply(s => s.StageName);
        InvokeUrl = stage.Apply(s => s.InvokeUrl);
        ExecutionArn = restApi.Api.Apply(a => a.ExecutionArn);

        new MethodSettings(name, new MethodSettingsArgs
        {
            RestApi = RestApiId,
            StageName = StageName,
            MethodPath = "*/*",
            Settings = RestApiFrontDoor.StageMethodSettings(args.Settings),
        }, new CustomResourceOptions { Parent = this });

        RegisterOutputs(new Dictionary<string, object?> { ["invokeUrl"] = InvokeUrl });
    }

    public Output<string> RestApiId { get; }
    public Output<string> StageName { get; }
    public Output<string> InvokeUrl { get; }
    public Output<string> ExecutionArn { get; }
    public Output<string>? AccessLogGroupName => null;

    private static ApiMethod ToMethod(string method) => method switch
    {
        "GET" => ApiMethod.GET,
        "POST" => ApiMethod.POST,
        "PUT" => ApiMethod.PUT,
        "DELETE" => ApiMethod.DELETE,
        "PATCH" => ApiMethod.PATCH,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "No Pulumi.AwsApiGateway method for it"),
    };
}
