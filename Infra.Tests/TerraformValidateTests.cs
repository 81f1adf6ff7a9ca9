using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItemsApi.TestKit;
using Pulumi;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// Issue 26: "the provider validators still accept every resource". Pulumi.Aws is built from the Terraform AWS provider,
/// whose schema validators (enums, ranges, ARN and name formats, conflicting and required arguments) run at
/// `terraform validate`, which Pulumi's mocks never reach. So the stack is run under the mocks with every optional part
/// on, each registered aws:* resource's inputs are written as the equivalent Terraform resource (aws:lambda/function:Function
/// as aws_lambda_function, camelCase as snake_case, Pulumi's plural list names as the provider's singular blocks, guided by
/// the provider's own schema), and `terraform validate` runs on that .tf.json with the hashicorp/aws provider from the
/// machine's mirror. What this covers: every resource type and input the two configurations below declare, with the values
/// the mocks resolve (ARNs and ids as the mocks make them). What it does not: values only AWS computes at apply time, and
/// checks the provider makes only at plan or apply (API calls), and apiImplementation component (its resources are the
/// remote component's). Version skew, special-cased where it is converted: Pulumi.Aws 7.48.0 is built on a later major
/// version of the provider than the mirror's 5.100.0, so the runtime dotnet10 (unknown to 5.100.0's runtime list) is
/// checked as dotnet8, and a single endpoint type is written as the one-element list 5.100.0's schema takes.
/// </summary>
public class TerraformValidateTests
{
    /// <summary>The provider mirror (terraform init -plugin-dir): ITEMS_API_TERRAFORM_PLUGIN_DIR, else this machine's /opt/tf-plugins.</summary>
    public static readonly string PluginDir = Environment.GetEnvironmentVariable("ITEMS_API_TERRAFORM_PLUGIN_DIR") is { Length: > 0 } dir ? dir : "/opt/tf-plugins";
    public const string ProviderVersion = "5.100.0";

    public static TheoryData<string, string> Configurations => new()
    {
        { "prod", "everything: nativeAot, authorizer, alias and provisioned concurrency, monitoring, WAF, custom domain, key rotation" },
        { "dev", "everything with readyToRun on dotnet10, SnapStart and provisioned table capacity" },
    };

    [RequiresTheory(typeof(TerraformWithProviderMirror))]
    [MemberData(nameof(Configurations))]
    public async Task The_terraform_aws_providers_validators_accept_every_resource_the_stack_declares(string stage, string what)
    {
        Dictionary<string, string> overrides = stage == "dev"
            ? new() { ["functionBuild"] = "readyToRun", ["snapStart"] = "true", ["provisionedConcurrency"] = "0", ["tableReadCapacity"] = "5", ["tableWriteCapacity"] = "5" }
            : new();
        StackRun run = await StageScopeTests.RunEverythingAsync(stage, overrides);

        string folder = Directory.CreateTempSubdirectory("terraform-validate-").FullName;
        try
        {
            await WriteAsync(folder, new JsonObject { ["terraform"] = Terraform() });
            await TerraformAsync(folder, "init", "-backend=false", $"-plugin-dir={PluginDir}", "-input=false");
            JsonElement schemas = await ResourceSchemasAsync(folder);

            var skew = new List<string>();
            // Raw engine inputs on purpose: the wire form the engine hands the bridged provider is what Terraform checks.
            JsonObject resources = Convert(run.Registered, schemas, skew);
            await WriteAsync(folder, new JsonObject
            {
                ["terraform"] = Terraform(),
                ["provider"] = new JsonObject { ["aws"] = new JsonObject { ["region"] = AwsMocks.Region } },
                ["resource"] = resources,
            });
            ProcessOutcome validate = await TerraformAsync(folder, "validate", "-json");
            Assert.True(validate.ExitCode == 0, $"terraform validate refused {what}:\n{validate.Output}\n{validate.Errors}");
            if (stage == "dev") Assert.Contains("runtime dotnet10 -> dotnet8", skew);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static JsonObject Terraform() => new()
    {
        ["required_providers"] = new JsonObject { ["aws"] = new JsonObject { ["source"] = "hashicorp/aws", ["version"] = ProviderVersion } },
    };

    private static Task WriteAsync(string folder, JsonObject document) =>
        File.WriteAllTextAsync(Path.Combine(folder, "main.tf.json"), document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    private static async Task<ProcessOutcome> TerraformAsync(string folder, params string[] arguments)
    {
        ProcessOutcome outcome = await ProcessRun.RunAsync("terraform", ["-chdir=" + folder, .. arguments, "-no-color"], environment: new Dictionary<string, string?>
        {
            ["CHECKPOINT_DISABLE"] = "1", ["TF_IN_AUTOMATION"] = "1", ["TF_PLUGIN_CACHE_DIR"] = null,
        }, timeout: TimeSpan.FromMinutes(3));
        if (arguments[0] != "validate") Assert.True(outcome.ExitCode == 0, $"terraform {arguments[0]} failed:\n{outcome.Output}\n{outcome.Errors}");
        return outcome;
    }

    private static async Task<JsonElement> ResourceSchemasAsync(string folder)
    {
        ProcessOutcome schema = await TerraformAsync(folder, "providers", "schema", "-json");
        using JsonDocument document = JsonDocument.Parse(schema.Output);
        return document.RootElement.GetProperty("provider_schemas").GetProperty("registry.terraform.io/hashicorp/aws").GetProperty("resource_schemas").Clone();
    }

    /// <summary>Pulumi's module names that the Terraform provider spells differently (aws:apigateway/... is aws_api_gateway_...).</summary>
    private static readonly Dictionary<string, string> ModuleNames = new() { ["apigateway"] = "api_gateway" };

    /// <summary>Resources the Terraform provider names differently from Pulumi's token.</summary>
    private static readonly Dictionary<string, string> TypeNames = new() { ["aws:apigateway/response:Response"] = "aws_api_gateway_gateway_response" };

    /// <summary>Inputs Pulumi renames, per Terraform type: (Terraform type, Pulumi input) -> Terraform argument.</summary>
    private static readonly Dictionary<(string, string), string> InputNames = new()
    {
        [("aws_lambda_function", "name")] = "function_name",
        [("aws_lambda_function", "code")] = "filename",
        [("aws_api_gateway_base_path_mapping", "restApi")] = "api_id",
        [("aws_lambda_permission", "function")] = "function_name",
        [("aws_cloudwatch_metric_alarm", "name")] = "alarm_name",
    };

    public static string TerraformType(string token)
    {
        if (TypeNames.TryGetValue(token, out string? named)) return named;
        string[] parts = token.Split(':', '/'); // aws, module, resource, Class
        string module = ModuleNames.GetValueOrDefault(parts[1], parts[1]);
        return $"aws_{module}_{Snake(parts[2])}";
    }

    public static string Snake(string camel) =>
        string.Concat(camel.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static JsonObject Convert(IEnumerable<Pulumi.Testing.MockResourceArgs> registered, JsonElement schemas, List<string> skew)
    {
        var resources = new JsonObject();
        var unknown = new List<string>();
        int count = 0;
        foreach (Pulumi.Testing.MockResourceArgs resource in registered.Where(r => r.Type!.StartsWith("aws:", StringComparison.Ordinal)))
        {
            string type = TerraformType(resource.Type!);
            Assert.True(schemas.TryGetProperty(type, out JsonElement schema), $"{resource.Type} maps to {type}, which provider {ProviderVersion} does not have");
            JsonObject body = Block(type, resource.Inputs, schema.GetProperty("block"), $"{resource.Type} {resource.Name}", unknown, skew);

            // Version skew the issue names: provider 5.100.0's runtime validator predates Lambda's dotnet10 runtime, which
            // the readyToRun build uses; the nearest managed .NET runtime it knows stands in, so every other argument is checked.
            if (type == "aws_lambda_function" && body["runtime"]?.GetValue<string>() == "dotnet10")
            {
                body["runtime"] = "dotnet8";
                skew.Add("runtime dotnet10 -> dotnet8");
            }
            if (!resources.ContainsKey(type)) resources[type] = new JsonObject();
            resources[type]!.AsObject()[$"r{count++}"] = body;
        }
        Assert.True(unknown.Count == 0, "inputs with no Terraform argument of that name (add them to InputNames):\n" + string.Join("\n", unknown));
        Assert.True(count > 0, "the stack registered no aws resource");
        return resources;
    }

    private static JsonObject Block(string type, IEnumerable<KeyValuePair<string, object>> inputs, JsonElement block, string where, List<string> unknown, List<string> skew)
    {
        var body = new JsonObject();
        JsonElement attributes = block.TryGetProperty("attributes", out JsonElement a) ? a : default;
        JsonElement blockTypes = block.TryGetProperty("block_types", out JsonElement b) ? b : default;
        foreach ((string key, object value) in inputs)
        {
            if (value is null || key.StartsWith("__", StringComparison.Ordinal)) continue;
            string? name = ArgumentName(type, key, attributes, blockTypes);
            if (name is null)
            {
                unknown.Add($"{where}: {key}");
                continue;
            }
            if (blockTypes.ValueKind == JsonValueKind.Object && blockTypes.TryGetProperty(name, out JsonElement nested))
            {
                JsonElement inner = nested.GetProperty("block");
                body[name] = value is IDictionary<string, object> single
                    ? Block(type, single, inner, $"{where}.{key}", unknown, skew)
                    : new JsonArray(((IEnumerable)value).Cast<IDictionary<string, object>>().Select(item => (JsonNode)Block(type, item, inner, $"{where}.{key}", unknown, skew)).ToArray());
            }
            else if (name == "types" && where.EndsWith(".endpointConfiguration", StringComparison.Ordinal) && value is string one && IsCollection(attributes.GetProperty(name)))
            {
                // Version skew: Pulumi.Aws 7 (built on the provider's next major version) takes one endpoint type where
                // 5.100.0's schema takes a list of them (endpoint_configuration.types); the one value goes in as that list.
                body[name] = new JsonArray(one);
                skew.Add($"{type}.{name}: one value as a list");
            }
            else
            {
                body[name] = Value(value);
            }
        }
        return body;
    }

    private static bool IsCollection(JsonElement attribute) =>
        attribute.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.Array && t[0].GetString() is "list" or "set";

    private static string? ArgumentName(string type, string key, JsonElement attributes, JsonElement blockTypes)
    {
        bool Has(string name) => (attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty(name, out _))
            || (blockTypes.ValueKind == JsonValueKind.Object && blockTypes.TryGetProperty(name, out _));
        if (InputNames.TryGetValue((type, key), out string? renamed)) return renamed;
        string snake = Snake(key);
        // Pulumi names a repeated block in the plural (attributes, aliases, rules, metricQueries) and a reference by what it
        // points at (restApi, topic); the provider says attribute, alias, rule, metric_query, rest_api_id, topic_arn.
        string[] candidates =
        [
            snake, snake + "_id", snake + "_arn",
            snake.EndsWith("ies", StringComparison.Ordinal) ? snake[..^3] + "y" : "",
            snake.EndsWith("es", StringComparison.Ordinal) ? snake[..^2] : "",
            snake.EndsWith('s') ? snake[..^1] : "",
        ];
        return candidates.FirstOrDefault(c => c.Length > 0 && Has(c));
    }

    /// <summary>An attribute's value as Pulumi resolved it; maps keep their keys (tags, environment variables).</summary>
    private static JsonNode? Value(object value) => value switch
    {
        string text => text,
        bool flag => flag,
        double number => number,
        int number => number,
        IDictionary<string, object> map => new JsonObject(map.Where(kv => kv.Value is not null).Select(kv => KeyValuePair.Create(kv.Key, Value(kv.Value)))),
        IEnumerable list => new JsonArray(list.Cast<object>().Select(Value).ToArray()),
        Archive => "function.zip", // the function package: a local file path in Terraform (filename), not read by validate
        _ => $"placeholder-{value.GetType().Name}",
    };
}

/// <summary>The provider validator check needs terraform and the hashicorp/aws provider mirror; skipped with the reason where either is missing.</summary>
public sealed class TerraformWithProviderMirror : IRequirement
{
    public string? Missing
    {
        get
        {
            string? terraform = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(dir => Path.Combine(dir, "terraform")).FirstOrDefault(File.Exists);
            if (terraform is null)
                return "terraform is not installed (the provider validator check needs terraform and the hashicorp/aws provider mirror)";
            if (!Directory.Exists(Path.Combine(TerraformValidateTests.PluginDir, "registry.terraform.io", "hashicorp", "aws", TerraformValidateTests.ProviderVersion)))
                return $"no hashicorp/aws {TerraformValidateTests.ProviderVersion} provider mirror under {TerraformValidateTests.PluginDir}";
            return null;
        }
    }
}
