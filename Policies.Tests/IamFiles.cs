using System.Text.Json.Nodes;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Policies.Tests;

/// <summary>A stage the templates are rendered for: its name and the custom domain it would use.</summary>
public sealed record Stage(string Name, string CustomDomain)
{
    public static readonly Stage Dev = new("dev", "dev.items.example.com");
    public static readonly Stage Prod = new("prod", "items.example.com");

    public static Stage Named(string name) => name switch { "dev" => Dev, "prod" => Prod, _ => new(name, $"{name}.items.example.com") };

    /// <summary>The other of dev and prod.</summary>
    public Stage Other => this == Dev ? Prod : Dev;

    public override string ToString() => Name;
}

/// <summary>The files in iam/, rendered the way iam/README.md renders them (sed on the placeholders), for one account.</summary>
public static class IamFiles
{
    public const string Account = "111122223333";
    public const string Region = "eu-west-1";
    public const string StateBucket = "items-api-state-111122223333";
    public const string Repository = "octo-org/items-api";

    public static readonly string Root = ProjectFiles.FindRoot();
    public static readonly string Directory = Path.Combine(Root, "iam");

    /// <summary>Every JSON template in iam/.</summary>
    public static IReadOnlyList<string> Templates =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public static string Render(string template, Stage stage, string account = Account, string region = Region,
        string stateBucket = StateBucket, string repository = Repository) =>
        template.Replace("<stage>", stage.Name).Replace("<account-id>", account).Replace("<region>", region)
            .Replace("<state-bucket>", stateBucket).Replace("<owner>/<repo>", repository).Replace("<custom-domain>", stage.CustomDomain);

    public static string Text(string file) => File.ReadAllText(Path.Combine(Directory, file));

    public static JsonObject Policy(string file, Stage stage) => JsonNode.Parse(Render(Text(file), stage))!.AsObject();

    public static string RoleArn(string name) => $"arn:aws:iam::{Account}:role/{name}";
    public static string DeployRoleName(Stage stage) => $"github-deploy-items-api-{stage.Name}";
    public const string PreviewRoleName = "github-preview-items-api";
    public const string LoggingRoleName = "items-api-apigateway-cloudwatch";
    public static string BoundaryArn(Stage stage) => $"arn:aws:iam::{Account}:policy/items-api-{stage.Name}-boundary";
    public static string SecretsAlias(Stage stage) => $"alias/items-api-{stage.Name}-pulumi-secrets";

    /// <summary>Each statement of a policy document (Statement may be one object or a list).</summary>
    public static IEnumerable<JsonObject> Statements(JsonObject policy) => policy["Statement"] switch
    {
        JsonArray list => list.Select(s => s!.AsObject()),
        JsonObject one => [one],
        _ => [],
    };

    /// <summary>A string or a list of strings, as IAM writes Action and Resource.</summary>
    public static IReadOnlyList<string> Strings(JsonNode? node) => node switch
    {
        JsonArray list => list.Select(v => v!.GetValue<string>()).ToArray(),
        JsonValue one => [one.GetValue<string>()],
        _ => [],
    };
}

/// <summary>One action of iam/deploy-actions.json, rendered for a stage.</summary>
public sealed record DeployAction(string Section, string TypeToken, string Action, string Resource, string Reason, bool StageScoped,
    bool TagScoped, bool Preview, JsonObject Context)
{
    /// <summary>Every action in the file, rendered for <paramref name="stage"/>.</summary>
    public static IReadOnlyList<DeployAction> For(Stage stage)
    {
        var document = JsonNode.Parse(IamFiles.Render(IamFiles.Text("deploy-actions.json"), stage))!.AsObject();
        var actions = new List<DeployAction>();
        foreach (string section in Sections)
            foreach ((string token, JsonNode? type) in document[section]!.AsObject())
                foreach (JsonNode? entry in type!["actions"]!.AsArray())
                    actions.Add(new DeployAction(section, token,
                        entry!["action"]!.GetValue<string>(),
                        entry["resource"]!.GetValue<string>(),
                        entry["reason"]!.GetValue<string>(),
                        entry["scope"]!.GetValue<string>() == "stage",
                        entry["tagScoped"]!.GetValue<bool>(),
                        entry["preview"]?.GetValue<bool>() ?? false,
                        entry["context"]?.DeepClone().AsObject() ?? []));
        return actions;
    }

    /// <summary>resourceTypes: by Pulumi type token; invokes: the program's lookups; stackOperations: Pulumi's own state and secrets, and the version pruning.</summary>
    public static readonly string[] Sections = ["resourceTypes", "invokes", "stackOperations"];

    public override string ToString() => $"{Action} on {Resource} ({TypeToken})";
}
