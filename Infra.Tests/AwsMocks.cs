using System.Collections.Concurrent;
using System.Collections.Immutable;
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

    /// <summary>"start:&lt;type&gt;::&lt;name&gt;" when the engine is asked to create a resource, "end:..." when it has.</summary>
    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>Resource types whose creation takes this long, to show what waits for them.</summary>
    public Dictionary<string, TimeSpan> SlowTypes { get; } = new();

    /// <summary>The token of every invoke (data source) the program called, e.g. aws:index/getRegion:getRegion.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The IAM role names the account has (answers iam getRoles).</summary>
    public List<string> ExistingRoles { get; } = [];

    public async Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Events.Enqueue($"start:{args.Type}::{args.Name}");
        if (SlowTypes.TryGetValue(args.Type!, out TimeSpan delay)) await Task.Delay(delay);
        (string? id, object state) result = NewResource(args);
        Events.Enqueue($"end:{args.Type}::{args.Name}");
        return result;
    }

    private (string? id, object state) NewResource(MockResourceArgs args)
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
                // A role the program names keeps that name; one it leaves to Pulumi is named here by its logical name.
                state["name"] = args.Inputs.TryGetValue("name", out object? roleName) ? roleName : args.Name!;
                state["arn"] = $"arn:aws:iam::{Account}:role/{state["name"]}";
                break;
            case "aws:lambda/function:Function":
                string functionArn = $"arn:aws:lambda:{Region}:{Account}:function:{Input("name")}";
                state["arn"] = functionArn;
                state["invokeArn"] = $"arn:aws:apigateway:{Region}:lambda:path/2015-03-31/functions/{functionArn}/invocations";
                state["version"] = args.Inputs.TryGetValue("publish", out object? publish) && publish is true ? "7" : "$LATEST";
                break;
            case "aws:lambda/alias:Alias":
                string aliasArn = $"arn:aws:lambda:{Region}:{Account}:function:{Input("functionName")}:{Input("name")}";
                state["arn"] = aliasArn;
                state["invokeArn"] = $"arn:aws:apigateway:{Region}:lambda:path/2015-03-31/functions/{aliasArn}/invocations";
                break;
            case "aws:apigateway/restApi:RestApi":
                state["rootResourceId"] = $"{args.Name}-root";
                state["executionArn"] = $"arn:aws:execute-api:{Region}:{Account}:{id}";
                break;
            case "aws:apigateway/stage:Stage":
                state["invokeUrl"] = $"https://{Input("restApi")}.execute-api.{Region}.amazonaws.com/{Input("stageName")}";
                state["arn"] = $"arn:aws:apigateway:{Region}::/restapis/{Input("restApi")}/stages/{Input("stageName")}";
                break;
            case "aws:sns/topic:Topic":
                state["arn"] = $"arn:aws:sns:{Region}:{Account}:{Input("name")}";
                break;
            case "aws:wafv2/webAcl:WebAcl":
                state["arn"] = $"arn:aws:wafv2:{Region}:{Account}:regional/webacl/{Input("name")}/{id}";
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
        return (id, state.ToImmutable());
    }

    public Task<object> CallAsync(MockCallArgs args)
    {
        Calls.Enqueue(args.Token!);
        return Task.FromResult(Answer(args));
    }

    private object Answer(MockCallArgs args) => args.Token switch
    {
        "aws:index/getRegion:getRegion" => ImmutableDictionary<string, object>.Empty.Add("region", Region).Add("name", Region).Add("id", Region),
        "aws:index/getCallerIdentity:getCallerIdentity" => ImmutableDictionary<string, object>.Empty.Add("accountId", Account)
            .Add("arn", $"arn:aws:sts::{Account}:assumed-role/github-deploy-items-api-dev/session").Add("userId", "AROAEXAMPLE:session").Add("id", Account),
        "aws:index/getPartition:getPartition" => ImmutableDictionary<string, object>.Empty.Add("partition", "aws").Add("dnsSuffix", "amazonaws.com"),
        "aws:route53/getZone:getZone" => ImmutableDictionary<string, object>.Empty.Add("zoneId", "ZHOSTED").Add("name", args.Args["name"]),
        "aws:iam/getRoles:getRoles" => ImmutableDictionary<string, object>.Empty
            .Add("names", ExistingRoles.Where(r => System.Text.RegularExpressions.Regex.IsMatch(r, args.Args["nameRegex"].ToString()!)).ToImmutableArray<object>())
            .Add("arns", ExistingRoles.Select(r => (object)$"arn:aws:iam::{Account}:role/{r}").ToImmutableArray())
            .Add("id", "roles"),
        _ => ImmutableDictionary<string, object>.Empty,
    };
}
