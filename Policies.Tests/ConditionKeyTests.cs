using System.Text.Json.Nodes;

namespace ItemsApi.Policies.Tests;

/// <summary>
/// The evaluator honours every condition key the policies rely on: an action of iam/deploy-actions.json that is allowed
/// with its context is refused when any one key of that context has another value or is missing. Without this, a key the
/// evaluator ignored (as it drops :sub and :aud, see TrustPolicyTests) would make every test above pass for the wrong reason.
/// </summary>
public sealed class ConditionKeyTests
{
    private static readonly string[] PolicyFiles = ["deploy-policy.json", "preview-policy.json"];

    /// <summary>Every condition key of an Allow statement is in the context of some action of iam/deploy-actions.json, so the test below covers it.</summary>
    [Fact]
    public void Every_condition_key_the_allows_rely_on_is_exercised_by_some_deploy_action()
    {
        var exercised = DeployAction.For(Stage.Dev).SelectMany(a => a.Context.Select(c => c.Key)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        string[] keys = PolicyFiles.SelectMany(file => IamFiles.Statements(IamFiles.Policy(file, Stage.Dev)))
            .Where(s => s["Effect"]!.GetValue<string>() == "Allow" && s["Condition"] is JsonObject)
            .SelectMany(s => s["Condition"]!.AsObject().SelectMany(op => op.Value!.AsObject().Select(k => k.Key)))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.True(exercised.Contains(key), $"{key} is in no context of iam/deploy-actions.json"));
    }

    [RequiresFact(typeof(EvaluatorInstalled))]
    public void Another_value_of_any_key_in_an_allowed_actions_context_is_refused()
    {
        Identity dev = Identity.Deploy(Stage.Dev);
        var requests = new List<Request>();
        foreach (DeployAction action in DeployAction.For(Stage.Dev).Where(a => a.Context.Count > 0))
            foreach ((string key, JsonNode? value) in action.Context)
            {
                JsonObject context = action.Context.DeepClone().AsObject();
                context[key] = value is JsonArray ? new JsonArray("something-else") : "something-else";
                requests.Add(dev.Asks(action.Action, action.Resource, context));
            }
        Evaluator.AssertAllDenied(requests, "deploy actions with one context value changed");
    }

    [RequiresFact(typeof(EvaluatorInstalled))]
    public void A_missing_key_of_an_allowed_actions_context_is_refused()
    {
        Identity dev = Identity.Deploy(Stage.Dev);
        var requests = new List<Request>();
        foreach (DeployAction action in DeployAction.For(Stage.Dev).Where(a => a.Context.Count > 0))
            foreach ((string key, _) in action.Context)
            {
                JsonObject context = action.Context.DeepClone().AsObject();
                context.Remove(key);
                requests.Add(dev.Asks(action.Action, action.Resource, context));
            }
        Evaluator.AssertAllDenied(requests, "deploy actions with one context key missing");
    }

    /// <summary>The evaluator may not silently drop a key a test gives it: a key it does not list for the action is an error.</summary>
    [RequiresFact(typeof(EvaluatorInstalled))]
    public void A_context_key_the_evaluator_would_drop_is_an_error_unless_named()
    {
        Request request = Identity.Deploy(Stage.Dev).Asks("lambda:UpdateFunctionCode", Arn.Function(Stage.Dev), Context.PassedTo("lambda.amazonaws.com"));
        Decision decision = Evaluator.Evaluate(request);
        Assert.Null(decision.Result);
        Assert.Contains("ignores these context keys", decision.Error);
        Assert.Contains("iam:PassedToService", decision.Error);
    }

    /// <summary>
    /// Which decisions came from the evaluator's unvalidated path, and why: a reviewer can see the fallback is narrow (API
    /// Gateway collections, an SNS subscription's ARN, a Lambda alias ARN).
    /// </summary>
    [RequiresFact(typeof(EvaluatorInstalled))]
    public void Only_resources_the_reference_data_cannot_type_and_the_OIDC_trust_are_evaluated_unvalidated()
    {
        Identity dev = Identity.Deploy(Stage.Dev);
        IReadOnlyList<Decision> decisions = Evaluator.Evaluate(DeployAction.For(Stage.Dev).Select(dev.Asks).ToArray());
        string[] unvalidated = decisions.Where(d => d.EvaluatedWithoutValidation)
            .Select(d => $"{d.Request.Action} {d.UnvalidatedBecause}").Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.All(unvalidated, u => Assert.Matches("^(apigateway:(POST|SetWebACL) no\\.resource\\.types|sns:\\w+ no\\.resource\\.types|lambda:\\w+ProvisionedConcurrencyConfig multiple\\.resource\\.types)$", u));
        Assert.True(decisions.Count(d => !d.EvaluatedWithoutValidation) > decisions.Count * 9 / 10,
            $"most deploy actions are evaluated with full validation; unvalidated: {string.Join(", ", unvalidated)}");
    }
}
