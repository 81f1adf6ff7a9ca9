using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi;
using Pulumi.Testing;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// Pulumi mocks: every resource gets an id and the outputs AWS would compute (ARNs, invoke URLs...),
/// and every registration is recorded so tests can read the inputs the program declared.
/// </summary>
public sealed class AwsMocks : IMocks
{
    public const string Region = "eu-west-1";
    public const string Account = "123456789012";

    public ConcurrentQueue<MockResourceArgs> Registered { get; } = new();

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Registered.Enqueue(args);
        string id = $"{args.Name}-id";
        var state = args.Inputs.ToBuilder();
        string Input(string key) => args.Inputs.TryGetValue(key, out object? value) ? value.ToString()! : $"{args.Name}-{key}";

        switch (args.Type)
        {
            case "aws:dynamodb/table:Table":
                state["name"] = Input("name");
                state["arn"] = $"arn:aws:dynamodb:{Region}:{Account}:table/{state["name"]}";
                break;
            case "aws:cloudwatch/logGroup:LogGroup":
                state["arn"] = $"arn:aws:logs:{Region}:{Account}:log-group:{Input("name")}";
                break;
            case "aws:iam/role:Role":
                state["name"] = args.Name!;
                state["arn"] = $"arn:aws:iam::{Account}:role/{args.Name}";
                break;
            case "aws:lambda/function:Function":
                string functionArn = $"arn:aws:lambda:{Region}:{Account}:function:{Input("name")}";
                state["arn"] = functionArn;
                state["invokeArn"] = $"arn:aws:apigateway:{Region}:lambda:path/2015-03-31/functions/{functionArn}/invocations";
                break;
            case "aws:apigateway/restApi:RestApi":
                state["rootResourceId"] = $"{args.Name}-root";
                state["executionArn"] = $"arn:aws:execute-api:{Region}:{Account}:{id}";
                break;
            case "aws:apigateway/stage:Stage":
                state["invokeUrl"] = $"https://{Input("restApi")}.execute-api.{Region}.amazonaws.com/{Input("stageName")}";
                break;
            case "aws:apigateway/apiKey:ApiKey":
                state["value"] = args.Inputs.TryGetValue("value", out object? value) ? value : "generated-by-api-gateway-0123456789";
                break;
            case "aws:apigateway/domainName:DomainName":
                state["regionalDomainName"] = $"d-abc123.execute-api.{Region}.amazonaws.com";
                state["regionalZoneId"] = "ZREGIONAL";
                break;
            case "aws:acm/certificate:Certificate":
                state["arn"] = $"arn:aws:acm:{Region}:{Account}:certificate/{id}";
                state["domainValidationOptions"] = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty
                    .Add("domainName", Input("domainName"))
                    .Add("resourceRecordName", "_x1." + Input("domainName") + ".")
                    .Add("resourceRecordType", "CNAME")
                    .Add("resourceRecordValue", "_x2.acm-validations.aws."));
                break;
            case "aws:route53/record:Record":
                state["fqdn"] = Input("name");
                break;
            case "aws-apigateway:index:RestAPI":
                // A remote component: its outputs are the resources it made, passed back as references.
                var api = new Pulumi.Aws.ApiGateway.RestApi($"{args.Name}-api", new Pulumi.Aws.ApiGateway.RestApiArgs());
                var stage = new Pulumi.Aws.ApiGateway.Stage($"{args.Name}-stage", new Pulumi.Aws.ApiGateway.StageArgs
                {
                    RestApi = api.Id, Deployment = "component-deployment-id", StageName = Input("stageName"),
                });
                state["api"] = api;
                state["stage"] = stage;
                break;
        }
        return Task.FromResult<(string?, object)>((id, state.ToImmutable()));
    }

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Token switch
    {
        "aws:index/getPartition:getPartition" => ImmutableDictionary<string, object>.Empty.Add("partition", "aws").Add("dnsSuffix", "amazonaws.com"),
        "aws:route53/getZone:getZone" => ImmutableDictionary<string, object>.Empty.Add("zoneId", "ZHOSTED").Add("name", args.Args["name"]),
        _ => ImmutableDictionary<string, object>.Empty,
    });
}
