namespace ItemsApi.Policies.Tests;

/// <summary>
/// What would let a deploy or preview identity make itself more than it is: a role without the boundary, a role passed
/// to another service, users, keys, identity providers, or changes to the pipeline's own roles and the boundary.
/// </summary>
public sealed class PrivilegeEscalationTests
{
    public static TheoryData<string> Identities => new() { "deploy dev", "deploy prod", "preview" };

    private static Identity Who(string identity) => identity switch
    {
        "deploy dev" => Identity.Deploy(Stage.Dev),
        "deploy prod" => Identity.Deploy(Stage.Prod),
        _ => Identity.Preview(),
    };

    private static Stage StageOf(string identity) => identity == "deploy prod" ? Stage.Prod : Stage.Dev;

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(Identities))]
    public void No_role_can_create_or_change_a_role_without_its_stages_boundary(string identity)
    {
        Identity who = Who(identity);
        Stage stage = StageOf(identity);
        string ownRole = IamFiles.RoleArn($"items-api-{stage.Name}-items");
        Evaluator.AssertAllDenied(
        [
            who.Asks("iam:CreateRole", ownRole),                                         // no boundary at all
            who.Asks("iam:CreateRole", ownRole, Context.Boundary(stage.Other)),          // the other stage's
            who.Asks("iam:CreateRole", ownRole, Context.Of(("iam:PermissionsBoundary", "arn:aws:iam::aws:policy/AdministratorAccess"))),
            who.Asks("iam:CreateRole", IamFiles.RoleArn("admin"), Context.Boundary(stage)), // a name outside the stage's
            who.Asks("iam:PutRolePolicy", ownRole),
            who.Asks("iam:PutRolePolicy", IamFiles.RoleArn(IamFiles.LoggingRoleName)),
            who.Asks("iam:AttachRolePolicy", ownRole, Context.Boundary(stage).With(Context.Of(("iam:PolicyARN", "arn:aws:iam::aws:policy/AdministratorAccess")))),
            who.Asks("iam:AttachRolePolicy", IamFiles.RoleArn(IamFiles.LoggingRoleName), Context.Of(("iam:PolicyARN", "arn:aws:iam::aws:policy/AdministratorAccess"))),
            who.Asks("iam:PutRolePermissionsBoundary", ownRole, Context.Of(("iam:PermissionsBoundary", "arn:aws:iam::aws:policy/AdministratorAccess"))),
            who.Asks("iam:UpdateAssumeRolePolicy", IamFiles.RoleArn(IamFiles.LoggingRoleName)),
            who.Asks("iam:CreatePolicy", $"arn:aws:iam::{IamFiles.Account}:policy/items-api-{stage.Name}-anything"),
            who.Asks("iam:CreatePolicyVersion", IamFiles.BoundaryArn(stage)),
        ], $"{who} escaping the boundary");
    }

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(Identities))]
    public void No_role_can_remove_a_boundary(string identity)
    {
        Identity who = Who(identity);
        Stage stage = StageOf(identity);
        Request remove = who.Asks("iam:DeleteRolePermissionsBoundary", IamFiles.RoleArn($"items-api-{stage.Name}-items"), Context.Boundary(stage));
        Decision decision = Evaluator.Evaluate(remove);
        Assert.False(decision.IsAllowed, decision.ToString());
        if (identity != "preview") Assert.Equal(Decision.ExplicitlyDenied, decision.Result);
    }

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(Identities))]
    public void No_role_can_pass_a_role_to_another_service(string identity)
    {
        Identity who = Who(identity);
        Stage stage = StageOf(identity);
        string functionRole = IamFiles.RoleArn($"items-api-{stage.Name}-items");
        string loggingRole = IamFiles.RoleArn(IamFiles.LoggingRoleName);
        Evaluator.AssertAllDenied(
        [
            .. new[] { "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "apigateway.amazonaws.com", "cloudformation.amazonaws.com", "states.amazonaws.com", "codebuild.amazonaws.com" }
                .Select(service => who.Asks("iam:PassRole", functionRole, Context.PassedTo(service))),
            .. new[] { "lambda.amazonaws.com", "ec2.amazonaws.com", "cloudformation.amazonaws.com" }
                .Select(service => who.Asks("iam:PassRole", loggingRole, Context.PassedTo(service))),
            .. new[] { IamFiles.DeployRoleName(Stage.Dev), IamFiles.DeployRoleName(Stage.Prod), IamFiles.PreviewRoleName, "OrganizationAccountAccessRole", "items-api-other" }
                .Select(role => who.Asks("iam:PassRole", IamFiles.RoleArn(role), Context.PassedTo("lambda.amazonaws.com"))),
        ], $"{who} passing roles");
    }

    public static TheoryData<string, string> UsersKeysAndProviders => new()
    {
        { "iam:CreateUser", "user/deployer" },
        { "iam:CreateAccessKey", "user/deployer" },
        { "iam:CreateLoginProfile", "user/deployer" },
        { "iam:UpdateLoginProfile", "user/admin" },
        { "iam:CreateServiceSpecificCredential", "user/deployer" },
        { "iam:CreateOpenIDConnectProvider", "oidc-provider/token.actions.githubusercontent.com" },
        { "iam:UpdateOpenIDConnectProviderThumbprint", "oidc-provider/token.actions.githubusercontent.com" },
        { "iam:AddClientIDToOpenIDConnectProvider", "oidc-provider/token.actions.githubusercontent.com" },
        { "iam:CreateSAMLProvider", "saml-provider/corp" },
    };

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(UsersKeysAndProviders))]
    public void No_role_can_create_users_keys_or_identity_providers(string action, string resource)
    {
        string arn = $"arn:aws:iam::{IamFiles.Account}:{resource}";
        IReadOnlyList<Decision> decisions = Evaluator.Evaluate([Who("deploy dev").Asks(action, arn), Who("deploy prod").Asks(action, arn), Who("preview").Asks(action, arn)]);
        Assert.All(decisions, d => Assert.False(d.IsAllowed, d.ToString()));
        // The deploy roles' refusals are explicit Denies, so no other policy attached to them can grant it.
        Assert.All(decisions.Take(2), d => Assert.Equal(Decision.ExplicitlyDenied, d.Result));
    }

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(Identities))]
    public void No_role_can_change_the_pipelines_roles_or_the_boundaries(string identity)
    {
        Identity who = Who(identity);
        string[] changes =
        [
            "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
            "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRole", "iam:UpdateRole", "iam:TagRole",
        ];
        string[] pipelineRoles = [IamFiles.DeployRoleName(Stage.Dev), IamFiles.DeployRoleName(Stage.Prod), IamFiles.PreviewRoleName];
        Request[] requests =
        [
            // With the boundary a deploy role may use, so only the explicit Deny refuses them (iam:TagRole has no such key).
            .. pipelineRoles.SelectMany(role => changes.Select(action =>
                who.Asks(action, IamFiles.RoleArn(role), action == "iam:TagRole" ? null : Context.Boundary(StageOf(identity))))),
            .. new[] { Stage.Dev, Stage.Prod }.SelectMany(stage => new[] { "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy" }
                .Select(action => who.Asks(action, IamFiles.BoundaryArn(stage)))),
        ];
        if (identity == "preview") Evaluator.AssertAllDenied(requests, $"{who} changing the pipeline's roles");
        else Evaluator.AssertAllExplicitlyDenied(requests, $"{who} changing the pipeline's roles");
    }
}
