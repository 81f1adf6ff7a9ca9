using System.Text.Json.Nodes;
using ItemsApi.Core.Items;

namespace ItemsApi.Policies.Tests;

/// <summary>
/// iam/permissions-boundary.json, the ceiling on every role a deploy creates: whatever inline policy a function role is
/// given, it can write its stage's function logs, call the item actions the store uses on its stage's table, and send
/// X-Ray traces; nothing else.
/// </summary>
public sealed class BoundaryTests
{
    private static readonly JsonObject AllowEverything =
        JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")!.AsObject();

    [Fact]
    public void The_boundary_allows_on_the_table_exactly_the_actions_the_item_store_calls()
    {
        JsonObject boundary = IamFiles.Policy("permissions-boundary.json", Stage.Dev);
        string[] tableActions = IamFiles.Statements(boundary)
            .SelectMany(s => IamFiles.Strings(s["Action"])).Where(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(DynamoItemStore.RequiredActions.Order(StringComparer.Ordinal), tableActions);
    }

    [RequiresFact(typeof(EvaluatorInstalled))]
    public void A_function_role_can_do_what_the_functions_need_even_under_a_policy_that_allows_everything()
    {
        Identity function = Identity.Function(Stage.Dev, AllowEverything);
        Evaluator.AssertAllAllowed(
        [
            .. DynamoItemStore.RequiredActions.Select(action => function.Asks(action, Arn.Table(Stage.Dev))),
            function.Asks("logs:CreateLogStream", $"{Arn.FunctionLogGroup(Stage.Dev)}:log-stream:x"),
            function.Asks("logs:PutLogEvents", $"{Arn.FunctionLogGroup(Stage.Dev)}:log-stream:x"),
            function.Asks("logs:PutLogEvents", $"arn:aws:logs:{IamFiles.Region}:{IamFiles.Account}:log-group:/aws/lambda/items-api-dev-authorizer:log-stream:x"),
            function.Asks("xray:PutTraceSegments", "*"),
            function.Asks("xray:GetSamplingRules", "*"),
        ], "what the functions do");
    }

    [RequiresFact(typeof(EvaluatorInstalled))]
    public void A_function_role_can_do_nothing_else_even_under_a_policy_that_allows_everything()
    {
        Identity function = Identity.Function(Stage.Dev, AllowEverything);
        Evaluator.AssertAllDenied(
        [
            .. DynamoItemStore.RequiredActions.Select(action => function.Asks(action, Arn.Table(Stage.Prod))),
            .. new[] { "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteTable", "dynamodb:ExportTableToPointInTime", "dynamodb:UpdateTable" }
                .Select(action => function.Asks(action, Arn.Table(Stage.Dev))),
            function.Asks("logs:PutLogEvents", $"{Arn.FunctionLogGroup(Stage.Prod)}:log-stream:x"),
            function.Asks("logs:PutLogEvents", $"{Arn.AccessLogGroup(Stage.Dev)}:log-stream:x"),
            function.Asks("logs:GetLogEvents", Arn.LogStream(Arn.FunctionLogGroup(Stage.Dev))),
            function.Asks("logs:DeleteLogGroup", Arn.FunctionLogGroup(Stage.Dev)),
            function.Asks("lambda:UpdateFunctionCode", Arn.Function(Stage.Dev)),
            function.Asks("iam:CreateRole", IamFiles.RoleArn("items-api-dev-x"), Context.Boundary(Stage.Dev)),
            function.Asks("iam:PassRole", Arn.FunctionRole(Stage.Dev), Context.PassedTo("lambda.amazonaws.com")),
            function.Asks("s3:GetObject", Arn.StackFile(Stage.Dev)),
            function.Asks("kms:Decrypt", Arn.SecretsKey, Context.KeyAliases(IamFiles.SecretsAlias(Stage.Dev))),
            function.Asks("sts:AssumeRole", IamFiles.RoleArn(IamFiles.DeployRoleName(Stage.Dev))),
        ], "a function role outside the boundary");
    }
}
